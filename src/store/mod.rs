//! The only place with SQL. (Owned by the store work.)
/// Handle on the SQLite file.
pub struct Store {
    pub conn: rusqlite::Connection,
}
