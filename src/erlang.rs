//! Closed-form staffing math (Erlang B/C/A). TODO
