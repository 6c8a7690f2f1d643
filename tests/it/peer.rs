//! Peer comparison (being written).
