//! Desktops syncing through a real registry: the server as a process on a loopback port
//! (killed and restarted where a test needs it), desktops as clients with their own stores.

mod bounds;
mod command_line;
mod convergence;
mod instances;
mod operations;
mod permissions;
mod scenarios;
mod support;
mod tls;
