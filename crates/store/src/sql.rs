//! A small SQL builder that numbers `$n` placeholders itself. sqlx's `QueryBuilder` asks the
//! `Any` driver for placeholders, which does not know which database it will reach, so dynamic
//! statements (scope filters, optional search terms) are assembled here instead.

use sqlx::any::AnyArguments;
use sqlx::{Any, Arguments};

#[derive(Default)]
pub(crate) struct SqlBuf {
    text: String,
    args: AnyArguments,
    n: usize,
}

impl SqlBuf {
    pub fn new(start: &str) -> SqlBuf {
        SqlBuf {
            text: start.to_owned(),
            ..Default::default()
        }
    }

    pub fn push(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }

    fn placeholder(&mut self) {
        self.n += 1;
        self.text.push('$');
        self.text.push_str(&self.n.to_string());
    }

    pub fn arg_i64(&mut self, v: i64) -> &mut Self {
        self.placeholder();
        self.args.add(v).expect("i64 always encodes");
        self
    }

    pub fn arg_text(&mut self, v: &str) -> &mut Self {
        self.placeholder();
        self.args.add(v.to_owned()).expect("text always encodes");
        self
    }

    /// The finished statement. Every value went in through a placeholder, and every piece of
    /// text pushed is a fixed fragment or a column name chosen by this crate.
    pub fn query(self) -> sqlx::query::Query<'static, Any, AnyArguments> {
        sqlx::query_with(sqlx::AssertSqlSafe(self.text), self.args)
    }
}
