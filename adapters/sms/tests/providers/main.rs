//! The provider adapters against a local server that replays the answers each provider
//! documents, plus the failures a network can add (silence, cut-off bodies, closed sockets).

mod kavenegar;
mod log_sender;
mod twilio;
