//! Every problem type the api answers with: its stable URI (`urn:lingo:problem:<slug>`), the
//! machine-readable `code` (the slug in snake_case), its status, and its title and generic detail
//! in the languages the apps ship in (en, fa, ar). `docs/errors.md` documents each entry; a test
//! holds the two together.

/// The prefix of every problem type.
pub const TYPE_PREFIX: &str = "urn:lingo:problem:";

/// A language problems are written in, chosen from `Accept-Language`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    En,
    Fa,
    Ar,
}

impl Language {
    /// The BCP 47 tag sent back in `Content-Language`.
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Fa => "fa",
            Self::Ar => "ar",
        }
    }

    fn index(self) -> usize {
        match self {
            Self::En => 0,
            Self::Fa => 1,
            Self::Ar => 2,
        }
    }

    /// The best of en, fa and ar for an `Accept-Language` value (RFC 9110 §12.5.4: the highest
    /// `q` wins, ties in the order given; a range matches by its primary subtag, `*` means en).
    /// Anything unreadable, or no match, is English.
    pub fn negotiate(header: Option<&str>) -> Self {
        let Some(header) = header else {
            return Self::En;
        };
        let mut best: Option<(f32, Self)> = None;
        for range in header.split(',').take(32) {
            let mut parts = range.split(';');
            let tag = parts.next().unwrap_or("").trim();
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map(|q| q.trim().parse::<f32>().unwrap_or(0.0))
                .unwrap_or(1.0);
            if quality.is_nan() || quality <= 0.0 {
                continue;
            }
            let primary = tag.split(['-', '_']).next().unwrap_or("");
            let language = match primary.to_ascii_lowercase().as_str() {
                "en" | "*" => Self::En,
                "fa" | "per" | "fas" => Self::Fa,
                "ar" | "ara" => Self::Ar,
                _ => continue,
            };
            if best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, language));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }
}

/// One problem type.
#[derive(Debug)]
pub struct ProblemType {
    pub slug: &'static str,
    pub status: u16,
    /// en, fa, ar.
    pub title: [&'static str; 3],
    /// en, fa, ar; `{name}` is filled from the extension member `name`.
    pub detail: [&'static str; 3],
}

impl ProblemType {
    pub fn uri(&self) -> String {
        format!("{TYPE_PREFIX}{}", self.slug)
    }

    pub fn title(&self, language: Language) -> &'static str {
        self.title[language.index()]
    }

    pub fn detail(&self, language: Language) -> &'static str {
        self.detail[language.index()]
    }
}

/// The `code` of a type: its slug in snake_case.
pub fn code_of(slug: &str) -> String {
    slug.replace('-', "_")
}

/// The slug of a type URI (`urn:lingo:problem:not-found` → `not-found`).
pub fn slug_of(kind: &str) -> &str {
    kind.strip_prefix(TYPE_PREFIX).unwrap_or(kind)
}

pub fn find(slug: &str) -> Option<&'static ProblemType> {
    CATALOGUE.iter().find(|t| t.slug == slug)
}

/// The generic type of a status, for problems no more specific type fits.
pub fn generic_slug(status: u16) -> &'static str {
    match status {
        400 => "bad-request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not-found",
        405 => "method-not-allowed",
        406 => "not-acceptable",
        409 => "conflict",
        413 => "payload-too-large",
        415 => "unsupported-media-type",
        416 => "range-not-satisfiable",
        422 => "validation-failed",
        429 => "rate-limited",
        500 => "internal",
        503 | 504 => "service-unavailable",
        _ if status >= 500 => "internal",
        _ => "bad-request",
    }
}

/// The message of an invalid field in fa or ar, by the field error's `code`.
pub fn field_message(code: &str, language: Language) -> Option<&'static str> {
    let [_, fa, ar] = match code {
        "required" => ["", "این فیلد لازم است.", "هذا الحقل مطلوب."],
        "length" => [
            "",
            "طول این مقدار خارج از حد مجاز است.",
            "طول هذه القيمة خارج الحد المسموح.",
        ],
        "range" => [
            "",
            "این مقدار خارج از بازهٔ مجاز است.",
            "هذه القيمة خارج النطاق المسموح.",
        ],
        "email" => [
            "",
            "نشانی ایمیل معتبر نیست.",
            "عنوان البريد الإلكتروني غير صالح.",
        ],
        "url" => ["", "نشانی معتبر نیست.", "العنوان غير صالح."],
        "unknown_field" => ["", "این فیلد شناخته نمی‌شود.", "هذا الحقل غير معروف."],
        _ => ["", "این مقدار معتبر نیست.", "هذه القيمة غير صالحة."],
    };
    match language {
        Language::En => None,
        Language::Fa => Some(fa),
        Language::Ar => Some(ar),
    }
}

macro_rules! problem_types {
    ($($slug:literal $status:literal [$($title:literal),+] [$($detail:literal),+];)+) => {
        /// Every type, in the order of `docs/errors.md`.
        pub static CATALOGUE: &[ProblemType] = &[
            $(ProblemType { slug: $slug, status: $status, title: [$($title),+], detail: [$($detail),+] },)+
        ];
    };
}

problem_types! {
    // ---- generic, one per status
    "bad-request" 400
        ["Bad request", "درخواست نامعتبر", "طلب غير صالح"]
        ["The request could not be read.", "درخواست قابل خواندن نبود.", "تعذرت قراءة الطلب."];
    "unauthorized" 401
        ["Sign-in required", "نیاز به ورود", "يلزم تسجيل الدخول"]
        ["A valid bearer token is required.", "برای ادامه وارد حساب خود شوید.", "سجّل الدخول إلى حسابك للمتابعة."];
    "forbidden" 403
        ["Not allowed", "اجازه ندارید", "غير مسموح"]
        ["You are not allowed to do this.", "شما اجازهٔ انجام این کار را ندارید.", "لا يُسمح لك بالقيام بذلك."];
    "not-found" 404
        ["Not found", "پیدا نشد", "غير موجود"]
        ["What you asked for does not exist.", "آنچه خواستید وجود ندارد.", "ما طلبته غير موجود."];
    "method-not-allowed" 405
        ["Method not allowed", "این روش پذیرفته نیست", "الطريقة غير مسموحة"]
        ["This route does not accept this method.", "این مسیر این روش را نمی‌پذیرد.", "هذا المسار لا يقبل هذه الطريقة."];
    "not-acceptable" 406
        ["Not acceptable", "قالب پاسخ پذیرفته نیست", "صيغة الرد غير مقبولة"]
        ["No representation matches the Accept header.", "هیچ قالبی با سرآیند Accept جور نیست.", "لا توجد صيغة تطابق ترويسة Accept."];
    "conflict" 409
        ["Conflict", "ناسازگاری", "تعارض"]
        ["The request conflicts with what is stored.", "درخواست با داده‌های ذخیره‌شده ناسازگار است.", "يتعارض الطلب مع البيانات المخزنة."];
    "payload-too-large" 413
        ["Body too large", "حجم درخواست زیاد است", "حجم الطلب كبير جدًا"]
        ["The body is larger than allowed.", "بدنهٔ درخواست بزرگ‌تر از حد مجاز است.", "محتوى الطلب أكبر من المسموح."];
    "unsupported-media-type" 415
        ["Unsupported media type", "نوع محتوا پشتیبانی نمی‌شود", "نوع المحتوى غير مدعوم"]
        ["Send the body as application/json.", "بدنه را با نوع application/json بفرستید.", "أرسل المحتوى بنوع application/json."];
    "range-not-satisfiable" 416
        ["Range not satisfiable", "بازهٔ درخواستی نامعتبر است", "النطاق المطلوب غير صالح"]
        ["The requested range is outside the file.", "بازهٔ درخواستی بیرون از فایل است.", "النطاق المطلوب خارج الملف."];
    "validation-failed" 422
        ["Invalid fields", "فیلدهای نامعتبر", "حقول غير صالحة"]
        ["Some fields are invalid; see errors.", "برخی فیلدها نامعتبرند؛ فهرست errors را ببینید.", "بعض الحقول غير صالحة؛ راجع قائمة errors."];
    "rate-limited" 429
        ["Too many requests", "درخواست‌ها بیش از حد است", "طلبات كثيرة جدًا"]
        ["Too many requests; retry in {retry_after} s.", "درخواست‌ها بیش از حد است؛ {retry_after} ثانیهٔ دیگر دوباره تلاش کنید.", "طلبات كثيرة جدًا؛ أعد المحاولة بعد {retry_after} ثانية."];
    "internal" 500
        ["Internal error", "خطای داخلی", "خطأ داخلي"]
        ["An unexpected error occurred; it has been logged.", "خطای غیرمنتظره‌ای رخ داد و ثبت شد.", "حدث خطأ غير متوقع وتم تسجيله."];
    "service-unavailable" 503
        ["Service unavailable", "سرویس در دسترس نیست", "الخدمة غير متاحة"]
        ["The service is temporarily unavailable; retry later.", "سرویس موقتاً در دسترس نیست؛ کمی بعد دوباره تلاش کنید.", "الخدمة غير متاحة مؤقتًا؛ أعد المحاولة لاحقًا."];
    // ---- signing in
    "token-expired" 401
        ["Token expired", "نشست منقضی شده", "انتهت صلاحية الجلسة"]
        ["The access token has expired; refresh it.", "توکن دسترسی منقضی شده است؛ آن را تازه کنید.", "انتهت صلاحية رمز الوصول؛ جدّده."];
    "token-revoked" 401
        ["Token revoked", "نشست لغو شده", "أُلغيت الجلسة"]
        ["This session was ended; sign in again.", "این نشست پایان یافته است؛ دوباره وارد شوید.", "انتهت هذه الجلسة؛ سجّل الدخول مرة أخرى."];
    "invalid-credentials" 401
        ["Wrong sign-in details", "اطلاعات ورود نادرست است", "بيانات الدخول غير صحيحة"]
        ["The email or the password is wrong, or the address is not verified yet.", "ایمیل یا رمز عبور نادرست است، یا نشانی هنوز تأیید نشده است.", "البريد أو كلمة المرور غير صحيحة، أو لم يُؤكَّد العنوان بعد."];
    "code-invalid" 401
        ["Wrong code", "کد نادرست است", "الرمز غير صحيح"]
        ["The code is wrong or has expired.", "کد نادرست است یا منقضی شده است.", "الرمز غير صحيح أو انتهت صلاحيته."];
    "refresh-token-invalid" 401
        ["Sign in again", "دوباره وارد شوید", "سجّل الدخول مرة أخرى"]
        ["The refresh token is invalid or expired.", "توکن تازه‌سازی نامعتبر یا منقضی است.", "رمز التجديد غير صالح أو منتهي الصلاحية."];
    "refresh-token-reused" 401
        ["Sign in again", "دوباره وارد شوید", "سجّل الدخول مرة أخرى"]
        ["The refresh token was already used; every session of this sign-in is revoked.", "این توکن تازه‌سازی قبلاً استفاده شده؛ همهٔ نشست‌های این ورود لغو شد.", "استُخدم رمز التجديد من قبل؛ أُلغيت كل جلسات هذا الدخول."];
    "email-taken" 409
        ["Email in use", "ایمیل تکراری است", "البريد مستخدم"]
        ["The email address is already in use.", "این نشانی ایمیل قبلاً استفاده شده است.", "عنوان البريد الإلكتروني مستخدم من قبل."];
    "phone-taken" 409
        ["Phone in use", "شماره تکراری است", "الرقم مستخدم"]
        ["The phone number is already in use.", "این شمارهٔ تلفن قبلاً استفاده شده است.", "رقم الهاتف مستخدم من قبل."];
    "phone-country-not-allowed" 403
        ["Country not served", "این کشور پشتیبانی نمی‌شود", "هذا البلد غير مدعوم"]
        ["Sign-in codes are not sent to this country calling code.", "کد ورود به این پیش‌شمارهٔ کشور فرستاده نمی‌شود.", "لا تُرسل رموز الدخول إلى رمز هذا البلد."];
    "account-disabled" 403
        ["Account disabled", "حساب غیرفعال است", "الحساب معطّل"]
        ["This account is disabled.", "این حساب غیرفعال شده است.", "هذا الحساب معطّل."];
    "admin-required" 403
        ["Administrators only", "فقط مدیران", "للمشرفين فقط"]
        ["This route is for administrators.", "این مسیر فقط برای مدیران است.", "هذا المسار للمشرفين فقط."];
    "wrong-password" 403
        ["Wrong password", "رمز عبور نادرست است", "كلمة المرور غير صحيحة"]
        ["The current password is wrong.", "رمز عبور فعلی نادرست است.", "كلمة المرور الحالية غير صحيحة."];
    "invalid-email-link" 403
        ["Link not valid", "پیوند نامعتبر است", "الرابط غير صالح"]
        ["The link is invalid, used or expired; ask for a new one.", "پیوند نامعتبر، استفاده‌شده یا منقضی است؛ پیوند تازه بخواهید.", "الرابط غير صالح أو مستخدم أو منتهي؛ اطلب رابطًا جديدًا."];
    "account-link-required" 409
        ["Sign in to link", "برای پیوند وارد شوید", "سجّل الدخول للربط"]
        ["An account with this email exists but its address is not verified; sign in to it and link Google from there.", "حسابی با این ایمیل هست اما نشانی‌اش تأیید نشده؛ وارد آن شوید و Google را از همان‌جا پیوند دهید.", "يوجد حساب بهذا البريد لكن عنوانه غير مؤكَّد؛ سجّل الدخول إليه واربط Google من هناك."];
    "identity-linked-elsewhere" 409
        ["Linked to another account", "به حساب دیگری پیوند دارد", "مرتبط بحساب آخر"]
        ["This Google account is linked to another Lingo account.", "این حساب Google به حساب دیگری در Lingo پیوند دارد.", "حساب Google هذا مرتبط بحساب Lingo آخر."];
    "email-already-verified" 409
        ["Already verified", "قبلاً تأیید شده", "مؤكَّد من قبل"]
        ["The email address is already verified.", "این نشانی ایمیل قبلاً تأیید شده است.", "عنوان البريد مؤكَّد من قبل."];
    "no-email" 409
        ["No email", "ایمیلی ثبت نشده", "لا يوجد بريد"]
        ["The account has no email address.", "این حساب نشانی ایمیل ندارد.", "لا يملك هذا الحساب عنوان بريد."];
    // ---- learning
    "card-suspended" 422
        ["Card suspended", "کارت معلق است", "البطاقة معلّقة"]
        ["The card is suspended; unsuspend it to review it.", "این کارت معلق است؛ برای مرور، آن را از تعلیق درآورید.", "البطاقة معلّقة؛ ألغِ التعليق لمراجعتها."];
    "review-time-out-of-bounds" 422
        ["Review time not accepted", "زمان مرور پذیرفته نیست", "وقت المراجعة غير مقبول"]
        ["The review time is in the future, too old, or before the card existed.", "زمان مرور در آینده، خیلی قدیمی یا پیش از ساخت کارت است.", "وقت المراجعة في المستقبل أو قديم جدًا أو قبل إنشاء البطاقة."];
    "client-review-id-reused" 409
        ["Review id reused", "شناسهٔ مرور تکراری است", "معرّف المراجعة مكرر"]
        ["This client_review_id was used for another card or rating.", "این client_review_id برای کارت یا امتیاز دیگری استفاده شده است.", "استُخدم هذا client_review_id لبطاقة أو تقييم آخر."];
    "undo-after-reset" 409
        ["Cannot undo", "بازگردانی ممکن نیست", "لا يمكن التراجع"]
        ["The card was reset after this review.", "کارت پس از این مرور بازنشانی شده است.", "أُعيد ضبط البطاقة بعد هذه المراجعة."];
    "undo-not-latest" 409
        ["Cannot undo", "بازگردانی ممکن نیست", "لا يمكن التراجع"]
        ["Only the latest review of a card can be undone.", "فقط آخرین مرور یک کارت را می‌توان بازگرداند.", "يمكن التراجع عن آخر مراجعة للبطاقة فقط."];
    "quiz-no-cards" 409
        ["Nothing to quiz", "چیزی برای آزمون نیست", "لا شيء للاختبار"]
        ["No due or learning cards to quiz.", "کارت سررسیده یا در حال یادگیری برای آزمون نیست.", "لا توجد بطاقات مستحقة أو قيد التعلم للاختبار."];
    "quiz-no-meanings" 409
        ["No meanings to quiz", "معنایی برای آزمون نیست", "لا معانٍ للاختبار"]
        ["The dictionary has no meaning in your language for these words.", "فرهنگ لغت برای این واژه‌ها معنایی به زبان شما ندارد.", "لا يحوي القاموس معنى بلغتك لهذه الكلمات."];
    "quiz-no-examples" 409
        ["No examples to quiz", "مثالی برای آزمون نیست", "لا أمثلة للاختبار"]
        ["The dictionary has no example sentences for these words.", "فرهنگ لغت برای این واژه‌ها جملهٔ مثال ندارد.", "لا يحوي القاموس جملًا مثالية لهذه الكلمات."];
    "quiz-no-audio" 409
        ["No audio to quiz", "صدایی برای آزمون نیست", "لا صوت للاختبار"]
        ["These words have no pronunciation audio yet; it is being made.", "این واژه‌ها هنوز صدای تلفظ ندارند؛ در حال ساخت است.", "لا يوجد صوت نطق لهذه الكلمات بعد؛ يجري إنشاؤه."];
    "quiz-too-few-distractors" 409
        ["Too few choices", "گزینه‌ها کافی نیست", "الخيارات غير كافية"]
        ["There are not enough other words to offer as choices.", "واژهٔ دیگری برای ساختن گزینه‌ها به اندازهٔ کافی نیست.", "لا توجد كلمات أخرى كافية لتقديم خيارات."];
    "quiz-expired" 409
        ["Quiz expired", "آزمون منقضی شده", "انتهى الاختبار"]
        ["The quiz has expired; start a new one.", "این آزمون منقضی شده است؛ آزمون تازه‌ای شروع کنید.", "انتهت صلاحية الاختبار؛ ابدأ اختبارًا جديدًا."];
    "quiz-already-answered" 409
        ["Already answered", "قبلاً پاسخ داده شده", "أُجيب من قبل"]
        ["The quiz was already answered; results holds the first answers.", "به این آزمون قبلاً پاسخ داده شده؛ results پاسخ‌های نخست را دارد.", "أُجيب عن الاختبار من قبل؛ تحوي results الإجابات الأولى."];
    "sync-cursor-invalid" 409
        ["Sync from the start", "همگام‌سازی از ابتدا", "زامن من البداية"]
        ["This server did not issue this sync cursor; pull again without since.", "این سرور این نشانگر همگام‌سازی را نداده است؛ بدون since دوباره بگیرید.", "لم يُصدر هذا الخادم مؤشر المزامنة هذا؛ اسحب مجددًا بدون since."];
    "sync-cursor-expired" 410
        ["Sync from the start", "همگام‌سازی از ابتدا", "زامن من البداية"]
        ["This sync cursor is older than the kept deletions; pull again without since.", "این نشانگر همگام‌سازی از حذف‌های نگه‌داشته قدیمی‌تر است؛ بدون since دوباره بگیرید.", "مؤشر المزامنة هذا أقدم من عمليات الحذف المحفوظة؛ اسحب مجددًا بدون since."];
    // ---- words and content
    "word-not-found" 404
        ["Word not found", "واژه پیدا نشد", "الكلمة غير موجودة"]
        ["No dictionary knows this word; close_matches lists near spellings.", "هیچ فرهنگ لغتی این واژه را نمی‌شناسد؛ close_matches املاهای نزدیک را دارد.", "لا يعرف أي قاموس هذه الكلمة؛ تحوي close_matches تهجئات قريبة."];
    "content-quota-exceeded" 429
        ["Daily limit reached", "سقف روزانه پر شده", "بلغت الحد اليومي"]
        ["You reached today's limit of new content; retry in {retry_after} s.", "به سقف امروزِ محتوای تازه رسیده‌اید؛ {retry_after} ثانیهٔ دیگر دوباره تلاش کنید.", "بلغت حد اليوم من المحتوى الجديد؛ أعد المحاولة بعد {retry_after} ثانية."];
    "generation-failed" 503
        ["Content not ready", "محتوا آماده نشد", "المحتوى غير جاهز"]
        ["Content generation failed; it is tried again on a request after {retry_after} s.", "ساخت محتوا ناموفق بود؛ پس از {retry_after} ثانیه با درخواست بعدی دوباره تلاش می‌شود.", "فشل إنشاء المحتوى؛ يُعاد المحاولة عند طلب بعد {retry_after} ثانية."];
    // ---- the HTTP contract
    "client-update-required" 426
        ["Update the app", "برنامه را به‌روز کنید", "حدّث التطبيق"]
        ["This version of the app is no longer supported; update to {min_version} or later.", "این نسخهٔ برنامه دیگر پشتیبانی نمی‌شود؛ به نسخهٔ {min_version} یا بالاتر به‌روز کنید.", "لم يعد هذا الإصدار مدعومًا؛ حدّث إلى {min_version} أو أحدث."];
    "client-version-invalid" 400
        ["Invalid app version", "نسخهٔ برنامه نامعتبر است", "إصدار التطبيق غير صالح"]
        ["X-Client-Version must be MAJOR.MINOR.PATCH.", "X-Client-Version باید به شکل MAJOR.MINOR.PATCH باشد.", "يجب أن يكون X-Client-Version بالصيغة MAJOR.MINOR.PATCH."];
    "idempotency-key-invalid" 400
        ["Invalid idempotency key", "کلید یکتایی نامعتبر است", "مفتاح عدم التكرار غير صالح"]
        ["Idempotency-Key must be 1 to 255 printable ASCII characters.", "Idempotency-Key باید ۱ تا ۲۵۵ نویسهٔ ASCII چاپی باشد.", "يجب أن يكون Idempotency-Key من 1 إلى 255 محرف ASCII قابلًا للطباعة."];
    "idempotency-key-reused" 422
        ["Idempotency key reused", "کلید یکتایی تکراری است", "مفتاح عدم التكرار مكرر"]
        ["This Idempotency-Key was used for another request.", "این Idempotency-Key برای درخواست دیگری استفاده شده است.", "استُخدم Idempotency-Key هذا لطلب آخر."];
    "idempotency-key-in-flight" 409
        ["Request in progress", "درخواست در حال انجام است", "الطلب قيد التنفيذ"]
        ["A request with this Idempotency-Key is still being served; retry in {retry_after} s.", "درخواستی با این Idempotency-Key هنوز در حال انجام است؛ {retry_after} ثانیهٔ دیگر دوباره تلاش کنید.", "ما زال طلب بهذا Idempotency-Key قيد التنفيذ؛ أعد المحاولة بعد {retry_after} ثانية."];
}

/// `template` with each `{name}` replaced by the extension member `name` (numbers and strings);
/// a placeholder with no member is dropped.
pub fn fill(template: &str, members: &serde_json::Map<String, serde_json::Value>) -> String {
    let mut out = String::with_capacity(template.len() + 8);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let name = &rest[start + 1..start + end];
        match members.get(name) {
            Some(serde_json::Value::String(s)) => out.push_str(s),
            Some(serde_json::Value::Number(n)) => out.push_str(&n.to_string()),
            _ => {}
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_takes_the_highest_quality_we_speak() {
        assert_eq!(Language::negotiate(None), Language::En);
        assert_eq!(
            Language::negotiate(Some("fa-IR,fa;q=0.9,en;q=0.8")),
            Language::Fa
        );
        assert_eq!(Language::negotiate(Some("en;q=0.5, ar-EG")), Language::Ar);
        assert_eq!(Language::negotiate(Some("de, fr;q=0.9")), Language::En);
        assert_eq!(Language::negotiate(Some("ar;q=0, fa;q=0.1")), Language::Fa);
        assert_eq!(Language::negotiate(Some(";;;,q=abc")), Language::En);
        assert_eq!(
            Language::negotiate(Some("fa;q=0.7, ar;q=0.7")),
            Language::Fa
        );
    }

    #[test]
    fn slugs_are_unique_and_every_entry_is_written_in_three_languages() {
        let mut seen = std::collections::HashSet::new();
        for t in CATALOGUE {
            assert!(seen.insert(t.slug), "{} repeats", t.slug);
            assert!(
                t.slug
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-' || b.is_ascii_digit())
            );
            for text in t.title.iter().chain(t.detail.iter()) {
                assert!(!text.is_empty(), "{} has an empty text", t.slug);
            }
            // The translations are not the English text copied.
            assert_ne!(t.title[0], t.title[1], "{}", t.slug);
            assert_ne!(t.title[0], t.title[2], "{}", t.slug);
            // The same placeholders in every language.
            let names = |s: &str| {
                let mut v: Vec<String> = s
                    .split('{')
                    .skip(1)
                    .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_owned()))
                    .collect();
                v.sort();
                v
            };
            assert_eq!(names(t.detail[0]), names(t.detail[1]), "{}", t.slug);
            assert_eq!(names(t.detail[0]), names(t.detail[2]), "{}", t.slug);
        }
        for status in [
            400, 401, 403, 404, 405, 406, 409, 413, 415, 416, 422, 429, 500, 503,
        ] {
            let slug = generic_slug(status);
            assert_eq!(
                find(slug).map(|t| t.status),
                Some(status.min(503)),
                "{status}"
            );
        }
    }

    #[test]
    fn placeholders_are_filled_from_members() {
        let mut members = serde_json::Map::new();
        members.insert("retry_after".into(), 30.into());
        assert_eq!(
            fill("retry in {retry_after} s.", &members),
            "retry in 30 s."
        );
        assert_eq!(fill("no {missing} here", &members), "no  here");
        assert_eq!(fill("open {brace", &members), "open {brace");
    }

    /// Every type the sources name is in the catalogue and in docs/errors.md, and every
    /// catalogue entry is documented there.
    #[test]
    fn every_type_is_catalogued_and_documented() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let docs =
            std::fs::read_to_string(root.join("../../docs/errors.md")).expect("docs/errors.md");
        for t in CATALOGUE {
            assert!(
                docs.contains(&format!("`{}`", t.uri())),
                "docs/errors.md does not document {}",
                t.uri()
            );
        }
        let mut stack = vec![root.join("src")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("source dir") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                for (at, _) in text.match_indices(TYPE_PREFIX) {
                    let slug: String = text[at + TYPE_PREFIX.len()..]
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || *c == '-' || c.is_ascii_digit())
                        .collect();
                    if slug.is_empty() {
                        continue;
                    }
                    assert!(
                        find(&slug).is_some(),
                        "{} names {slug}, which is not catalogued",
                        path.display()
                    );
                }
                for (at, _) in text.match_indices(".of_type(\"") {
                    let slug: String = text[at + 10..].chars().take_while(|c| *c != '"').collect();
                    assert!(
                        find(slug_of(&slug)).is_some(),
                        "{} names {slug}, which is not catalogued",
                        path.display()
                    );
                }
            }
        }
    }
}
