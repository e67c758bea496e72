//! Starts (or finds) the test stores in containers with testcontainers and prints their URLs as
//! `export LINGO_…_URL=…` lines: `eval "$(lingo-test-containers)"` before a test run
//! (`just test-containers`). See `lingo_test_support::containers` for the images and names.

#[tokio::main(flavor = "current_thread")]
async fn main() {
    if std::env::args()
        .nth(1)
        .is_some_and(|a| a == "--help" || a == "-h")
    {
        println!(
            "lingo-test-containers: start the test stores in containers and print export lines\n\
             images: LINGO_IMAGE_POSTGRES, LINGO_IMAGE_REDIS, LINGO_IMAGE_MONGO; \
             session: LINGO_TEST_CONTAINERS_SESSION (label {})",
            lingo_test_support::containers::SESSION_LABEL
        );
        return;
    }
    for (var, url) in lingo_test_support::containers::urls().await {
        println!("export {var}='{url}'");
    }
}
