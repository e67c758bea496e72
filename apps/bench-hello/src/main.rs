use actix_web::{App, HttpResponse, HttpServer, web};
use clap::Parser;

/// A bare actix-web server answering `GET /` with "ok": the baseline of the api benchmark,
/// built with the same profile and dependencies as lingo-api.
#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 8099)]
    port: u16,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    HttpServer::new(|| {
        App::new().route(
            "/",
            web::get().to(|| async { HttpResponse::Ok().body("ok") }),
        )
    })
    .bind(("127.0.0.1", args.port))?
    .run()
    .await
}
