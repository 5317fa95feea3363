//! The registry's integration tests: the real server on a loopback port, desktops as
//! clients with their own stores.

mod command_line;
mod convergence;
mod instances;
mod permissions;
mod scenarios;
mod support;
mod tls;
