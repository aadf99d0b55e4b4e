//! secretaire: a keyboard-driven organizer for a personal secretary.
//!
//! Layers (dependencies point one way):
//! `domain <- store, ics, vcard <- app <- ui <- tui <- main`; `cli` uses domain/store/ics/vcard.
pub mod app;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod domain;
pub mod ics;
pub mod store;
pub mod tui;
pub mod ui;
pub mod vcard;
