//! `portfolio-registry`: the registry's command line (see `command`).

fn main() -> std::process::ExitCode {
    portfolio_registry::command::main()
}
