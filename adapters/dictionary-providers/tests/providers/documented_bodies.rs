//! Hand-written answers in the shapes the providers document (see DATA.md, "External APIs"),
//! modelled on what they answer for these words.

/// Free Dictionary API, `GET /api/v2/entries/en/hello`: one headword, three meanings, a
/// recording without transcription, a transcription without recording.
pub const FREE_DICTIONARY_HELLO: &str = r#"[
  {
    "word": "hello",
    "phonetic": "/həˈləʊ/",
    "phonetics": [
      {
        "audio": "https://api.dictionaryapi.dev/media/pronunciations/en/hello-au.mp3",
        "sourceUrl": "https://commons.wikimedia.org/w/index.php?curid=75797336",
        "license": {"name": "BY-SA 4.0", "url": "https://creativecommons.org/licenses/by-sa/4.0"}
      },
      {
        "text": "/həˈləʊ/",
        "audio": "https://api.dictionaryapi.dev/media/pronunciations/en/hello-uk.mp3",
        "sourceUrl": "https://commons.wikimedia.org/w/index.php?curid=9021983",
        "license": {"name": "BY 3.0 US", "url": "https://creativecommons.org/licenses/by/3.0/us"}
      },
      {"text": "/həˈloʊ/", "audio": ""}
    ],
    "meanings": [
      {
        "partOfSpeech": "noun",
        "definitions": [
          {"definition": "\"Hello!\" or an equivalent greeting.", "synonyms": [], "antonyms": []}
        ],
        "synonyms": ["greeting"],
        "antonyms": []
      },
      {
        "partOfSpeech": "verb",
        "definitions": [
          {"definition": "To greet with \"hello\".", "synonyms": [], "antonyms": []}
        ],
        "synonyms": [],
        "antonyms": []
      },
      {
        "partOfSpeech": "interjection",
        "definitions": [
          {
            "definition": "A greeting (salutation) said when meeting someone or acknowledging someone’s arrival or presence.",
            "synonyms": [],
            "antonyms": [],
            "example": "Hello, everyone."
          },
          {
            "definition": "A greeting used when answering the telephone.",
            "synonyms": ["hallo"],
            "antonyms": [],
            "example": "Hello? How may I help you?"
          },
          {"definition": "   ", "synonyms": [], "antonyms": []}
        ],
        "synonyms": ["greeting"],
        "antonyms": ["bye", "goodbye"]
      }
    ],
    "license": {"name": "CC BY-SA 3.0", "url": "https://creativecommons.org/licenses/by-sa/3.0"},
    "sourceUrls": ["https://en.wiktionary.org/wiki/hello"]
  }
]"#;

/// Free Dictionary API, `GET /api/v2/entries/en/bank`: two homographs, no licence given, only
/// the headword-level `phonetic`.
pub const FREE_DICTIONARY_BANK: &str = r#"[
  {
    "word": "bank",
    "phonetic": "/bæŋk/",
    "phonetics": [],
    "meanings": [
      {
        "partOfSpeech": "noun",
        "definitions": [
          {
            "definition": "An institution where one can place and borrow money and take care of financial affairs.",
            "example": "I need to go to the bank to deposit this cheque.",
            "synonyms": [],
            "antonyms": []
          }
        ],
        "synonyms": [],
        "antonyms": []
      }
    ]
  },
  {
    "word": "bank",
    "phonetics": [],
    "meanings": [
      {
        "partOfSpeech": "noun",
        "definitions": [
          {"definition": "An edge of a river, lake, or other watercourse.", "synonyms": ["shore"], "antonyms": []}
        ],
        "synonyms": [],
        "antonyms": []
      }
    ]
  }
]"#;

/// Free Dictionary API's 404.
pub const FREE_DICTIONARY_NOT_FOUND: &str = r#"{"title":"No Definitions Found","message":"Sorry pal, we couldn't find definitions for the word you were looking for.","resolution":"You can try the search again at later time or head to the web instead."}"#;

/// Wiktionary, `GET /api/rest_v1/page/definition/house`: HTML definitions, an empty one, a
/// French section that must be ignored.
pub const WIKTIONARY_HOUSE: &str = r##"{
  "en": [
    {
      "partOfSpeech": "Noun",
      "language": "English",
      "definitions": [
        {
          "definition": "A <a rel=\"mw:WikiLink\" href=\"/wiki/structure\" title=\"structure\">structure</a> built or serving as an <a rel=\"mw:WikiLink\" href=\"/wiki/abode\" title=\"abode\">abode</a> of human beings.",
          "parsedExamples": [{"example": "This is my <b>house</b> and my family&#39;s ancestral home."}],
          "examples": ["This is my <b>house</b> and my family&#39;s ancestral home."]
        },
        {
          "definition": "A <a href=\"/wiki/x\">building</a> for <b>people</b> &amp; their&nbsp;belongings, <i>esp.</i>\n  a <a href=\"/wiki/home\">home</a>."
        },
        {"definition": "<span class=\"maintenance-line\"></span>"},
        {"definition": ""}
      ]
    },
    {
      "partOfSpeech": "Verb",
      "language": "English",
      "definitions": [
        {
          "definition": "(<i>transitive</i>) To <a rel=\"mw:WikiLink\" href=\"/wiki/keep\" title=\"keep\">keep</a> within a structure or container.",
          "examples": ["<b>house</b> the pipes in concrete"]
        }
      ]
    }
  ],
  "fr": [
    {
      "partOfSpeech": "Noun",
      "language": "French",
      "definitions": [{"definition": "<a rel=\"mw:WikiLink\" href=\"/wiki/house_music\" title=\"house music\">house music</a>"}]
    }
  ]
}"##;

/// Wiktionary, `GET /api/rest_v1/page/definition/casa`: the Spanish section has translated
/// examples; no English section.
pub const WIKTIONARY_CASA: &str = r##"{
  "es": [
    {
      "partOfSpeech": "Noun",
      "language": "Spanish",
      "definitions": [
        {
          "definition": "<a rel=\"mw:WikiLink\" href=\"/wiki/house#English\" title=\"house\">house</a>, <a rel=\"mw:WikiLink\" href=\"/wiki/home#English\" title=\"home\">home</a>",
          "parsedExamples": [{"example": "Mi <b>casa</b> es su <b>casa</b>.", "translation": "My <b>house</b> is your house."}],
          "examples": ["Mi <b>casa</b> es su <b>casa</b>.<dl><dd>My house is your house.</dd></dl>"]
        },
        {
          "definition": "<a rel=\"mw:WikiLink\" href=\"/wiki/household#English\" title=\"household\">household</a>"
        }
      ]
    },
    {
      "partOfSpeech": "Verb",
      "language": "Spanish",
      "definitions": [
        {
          "definition": "<span class=\"form-of-definition use-with-mention\">inflection of <i class=\"Latn mention\" lang=\"es\"><a rel=\"mw:WikiLink\" href=\"/wiki/casar#Spanish\" title=\"casar\">casar</a></i>:</span>"
        }
      ]
    }
  ],
  "pt": [
    {
      "partOfSpeech": "Noun",
      "language": "Portuguese",
      "definitions": [{"definition": "<a rel=\"mw:WikiLink\" href=\"/wiki/house#English\" title=\"house\">house</a>"}]
    }
  ]
}"##;

/// Wiktionary's 404 problem object.
pub const WIKTIONARY_NOT_FOUND: &str = r#"{"type":"https://mediawiki.org/wiki/HyperSwitch/errors/not_found","title":"Not found.","method":"get","detail":"Page or revision not found.","uri":"/en.wiktionary.org/v1/page/definition/qwertyzzz"}"#;
