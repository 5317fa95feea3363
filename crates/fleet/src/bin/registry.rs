//! The registry server for the fleet's tests: `portfolio-registry`'s own command line.

fn main() -> std::process::ExitCode {
    portfolio_registry::command::main()
}
