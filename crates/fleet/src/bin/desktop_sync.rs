//! One desktop's sync for the fleet's tests, as `portfolio sync` runs it: opens the store
//! `DB`, syncs once with the registry at `URL` (the token in `$PORTFOLIO_TOKEN`) and closes
//! it. A process of its own, so that a test can kill it in the middle of a push.

use std::path::Path;
use std::process::ExitCode;

use portfolio::sync::client::{self, Registry};
use portfolio::{Ctx, OpenMode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ([db, url], Ok(token)) = (
        <[String; 2]>::try_from(args).unwrap_or_default(),
        std::env::var("PORTFOLIO_TOKEN"),
    ) else {
        eprintln!("usage: PORTFOLIO_TOKEN=T desktop-sync DB URL");
        return ExitCode::from(2);
    };
    let runtime = tokio::runtime::Runtime::new().expect("the async runtime starts");
    let synced = runtime.block_on(async {
        let ctx = Ctx::open(Path::new(&db), OpenMode::Existing).await?;
        let report = client::run(&ctx, &Registry { url, token }).await;
        ctx.close().await;
        report
    });
    match synced {
        Ok(r) => {
            println!("pushed {}, pulled {}", r.pushed, r.pulled);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error[{}]: {}", e.code.as_str(), e.message);
            ExitCode::FAILURE
        }
    }
}
