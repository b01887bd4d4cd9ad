//! The demo world's reading of the Logs Insights language: the commands the shipped saved
//! queries and most hand-written ones use (`fields`, `display`, `filter`, `stats`, `sort`,
//! `limit`). Anything else is refused with a message naming what is served, as AWS refuses
//! a query it cannot compile.

use regex::Regex;

use crate::model::BackendError;

/// A parsed query: its stages, run in order.
#[derive(Debug, Clone)]
pub struct Query {
    pub stages: Vec<Stage>,
}

#[derive(Debug, Clone)]
pub enum Stage {
    /// `fields` / `display`: the columns, in order (`expr as name`).
    Fields(Vec<(Operand, String)>),
    Filter(Expr),
    Stats {
        aggregates: Vec<Aggregate>,
        by: Vec<(Operand, String)>,
    },
    /// (field, descending)
    Sort(Vec<(String, bool)>),
    Limit(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Field(String),
    Number(f64),
    Text(String),
    /// `bin(5m)` of `@timestamp`: the period in milliseconds.
    Bin(i64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone)]
pub enum Expr {
    Compare(Operand, Compare, Operand),
    Like {
        field: String,
        pattern: Regex,
        negated: bool,
    },
    IsPresent(String),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Function {
    Count,
    CountDistinct,
    Sum,
    Avg,
    Min,
    Max,
    Pct(f64),
}

#[derive(Debug, Clone)]
pub struct Aggregate {
    pub function: Function,
    /// `None` for `count(*)`.
    pub field: Option<String>,
    pub name: String,
}

const SERVED: &str = "the demo's Logs Insights runs fields, display, filter, stats \
     (count, count_distinct, sum, avg, min, max, pct; by fields and bin()), sort and limit";

fn invalid(message: impl Into<String>) -> BackendError {
    BackendError::InvalidInput(message.into())
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Number(f64),
    Text(String),
    Regex(String),
    Punct(&'static str),
}

fn tokenize(text: &str) -> Result<Vec<Token>, BackendError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '"' || c == '\'' || c == '`' || c == '/' {
            let end = (i + 1..chars.len())
                .find(|&j| chars[j] == c && chars[j - 1] != '\\')
                .ok_or_else(|| invalid(format!("unterminated {c} in the query")))?;
            let body: String = chars[i + 1..end].iter().collect();
            out.push(match c {
                '/' => Token::Regex(body),
                '`' => Token::Word(body),
                _ => Token::Text(body.replace(&format!("\\{c}"), &c.to_string())),
            });
            i = end + 1;
        } else if c.is_ascii_digit() {
            let end = (i..chars.len())
                .find(|&j| !(chars[j].is_ascii_digit() || chars[j] == '.'))
                .unwrap_or(chars.len());
            let digits: String = chars[i..end].iter().collect();
            // `5m` in bin(): a number glued to a unit is one word.
            if end < chars.len() && chars[end].is_ascii_alphabetic() {
                let unit_end = (end..chars.len())
                    .find(|&j| !chars[j].is_ascii_alphabetic())
                    .unwrap_or(chars.len());
                out.push(Token::Word(chars[i..unit_end].iter().collect()));
                i = unit_end;
            } else {
                let n = digits
                    .parse()
                    .map_err(|_| invalid(format!("{digits} is not a number")))?;
                out.push(Token::Number(n));
                i = end;
            }
        } else if c.is_alphanumeric() || c == '@' || c == '_' || c == '$' {
            let end = (i..chars.len())
                .find(|&j| !(chars[j].is_alphanumeric() || "@_.$-".contains(chars[j])))
                .unwrap_or(chars.len());
            out.push(Token::Word(chars[i..end].iter().collect()));
            i = end;
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let punct = ["!=", "<=", ">=", "=~"]
                .into_iter()
                .find(|p| two == *p)
                .or_else(|| {
                    ["|", "(", ")", ",", "=", "<", ">", "*"]
                        .into_iter()
                        .find(|p| p.starts_with(c))
                })
                .ok_or_else(|| invalid(format!("unexpected {c:?} in the query")))?;
            i += punct.chars().count();
            out.push(Token::Punct(punct));
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn keyword(&mut self, word: &str) -> bool {
        if matches!(self.peek(), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word)) {
            self.at += 1;
            return true;
        }
        false
    }

    fn punct(&mut self, p: &str) -> bool {
        if matches!(self.peek(), Some(Token::Punct(q)) if *q == p) {
            self.at += 1;
            return true;
        }
        false
    }

    fn expect(&mut self, p: &str) -> Result<(), BackendError> {
        if self.punct(p) {
            Ok(())
        } else {
            Err(invalid(format!("expected {p} in the query")))
        }
    }

    fn stage_ends(&self) -> bool {
        matches!(self.peek(), None | Some(Token::Punct("|")))
    }

    fn field(&mut self) -> Result<String, BackendError> {
        match self.next() {
            Some(Token::Word(w)) => Ok(w),
            other => Err(invalid(format!("expected a field name, found {other:?}"))),
        }
    }

    fn operand(&mut self) -> Result<Operand, BackendError> {
        match self.next() {
            Some(Token::Number(n)) => Ok(Operand::Number(n)),
            Some(Token::Text(t)) => Ok(Operand::Text(t)),
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("bin") => {
                self.expect("(")?;
                let period = match self.next() {
                    Some(Token::Word(p)) => period_ms(&p)?,
                    other => return Err(invalid(format!("bin() takes a period, not {other:?}"))),
                };
                self.expect(")")?;
                Ok(Operand::Bin(period))
            }
            Some(Token::Word(w)) => Ok(Operand::Field(w)),
            other => Err(invalid(format!("expected a value, found {other:?}"))),
        }
    }

    fn named_list(&mut self) -> Result<Vec<(Operand, String)>, BackendError> {
        let mut out = Vec::new();
        loop {
            let start = self.at;
            let operand = self.operand()?;
            let name = if self.keyword("as") {
                self.field()?
            } else {
                self.text_since(start)
            };
            out.push((operand, name));
            if !self.punct(",") {
                return Ok(out);
            }
        }
    }

    /// The tokens from `start` as AWS names an unnamed column (`count(*)`, `bin(5m)`).
    fn text_since(&self, start: usize) -> String {
        self.tokens[start..self.at]
            .iter()
            .map(|t| match t {
                Token::Word(w) => w.clone(),
                Token::Number(n) => n.to_string(),
                Token::Text(t) => format!("\"{t}\""),
                Token::Regex(r) => format!("/{r}/"),
                Token::Punct(p) => (*p).to_string(),
            })
            .collect::<Vec<_>>()
            .join("")
            .replace(',', ", ")
    }

    fn expr(&mut self) -> Result<Expr, BackendError> {
        let mut left = self.and_expr()?;
        while self.keyword("or") {
            left = Expr::Or(Box::new(left), Box::new(self.and_expr()?));
        }
        Ok(left)
    }

    fn and_expr(&mut self) -> Result<Expr, BackendError> {
        let mut left = self.unary()?;
        while self.keyword("and") {
            left = Expr::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, BackendError> {
        if self.keyword("not") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.punct("(") {
            let inner = self.expr()?;
            self.expect(")")?;
            return Ok(inner);
        }
        if self.keyword("ispresent") {
            self.expect("(")?;
            let field = self.field()?;
            self.expect(")")?;
            return Ok(Expr::IsPresent(field));
        }
        let left = self.operand()?;
        let negated = self.keyword("not");
        if self.keyword("like") || self.punct("=~") {
            let Operand::Field(field) = left else {
                return Err(invalid("like needs a field on its left"));
            };
            let pattern = match self.next() {
                Some(Token::Regex(r)) => r,
                Some(Token::Text(t)) => regex::escape(&t),
                other => {
                    return Err(invalid(format!(
                        "like takes /regex/ or \"text\", not {other:?}"
                    )));
                }
            };
            let pattern = Regex::new(&pattern)
                .map_err(|e| invalid(format!("bad regular expression /{pattern}/: {e}")))?;
            return Ok(Expr::Like {
                field,
                pattern,
                negated,
            });
        }
        if negated {
            return Err(invalid("not must come before a condition or before like"));
        }
        let op = match self.next() {
            Some(Token::Punct("=")) => Compare::Eq,
            Some(Token::Punct("!=")) => Compare::Ne,
            Some(Token::Punct("<")) => Compare::Lt,
            Some(Token::Punct("<=")) => Compare::Le,
            Some(Token::Punct(">")) => Compare::Gt,
            Some(Token::Punct(">=")) => Compare::Ge,
            other => return Err(invalid(format!("expected a comparison, found {other:?}"))),
        };
        Ok(Expr::Compare(left, op, self.operand()?))
    }

    fn aggregate(&mut self) -> Result<Aggregate, BackendError> {
        let start = self.at;
        let name = self.field()?;
        self.expect("(")?;
        let field = if self.punct("*") {
            None
        } else {
            Some(self.field()?)
        };
        let function = match name.to_ascii_lowercase().as_str() {
            "count" => Function::Count,
            "count_distinct" => Function::CountDistinct,
            "sum" => Function::Sum,
            "avg" => Function::Avg,
            "min" => Function::Min,
            "max" => Function::Max,
            "pct" | "percentile" => {
                self.expect(",")?;
                match self.next() {
                    Some(Token::Number(n)) if (0.0..=100.0).contains(&n) => Function::Pct(n),
                    other => return Err(invalid(format!("pct() takes 0 to 100, not {other:?}"))),
                }
            }
            other => return Err(invalid(format!("unknown function {other}(): {SERVED}"))),
        };
        if field.is_none() && function != Function::Count {
            return Err(invalid(format!("{name}(*) is not allowed: name a field")));
        }
        self.expect(")")?;
        let name = if self.keyword("as") {
            self.field()?
        } else {
            self.text_since(start)
        };
        Ok(Aggregate {
            function,
            field,
            name,
        })
    }

    fn stage(&mut self) -> Result<Stage, BackendError> {
        let command = self.field()?.to_ascii_lowercase();
        match command.as_str() {
            "fields" | "display" => Ok(Stage::Fields(self.named_list()?)),
            "filter" => Ok(Stage::Filter(self.expr()?)),
            "stats" => {
                let mut aggregates = vec![self.aggregate()?];
                while self.punct(",") {
                    aggregates.push(self.aggregate()?);
                }
                let by = if self.keyword("by") {
                    self.named_list()?
                } else {
                    Vec::new()
                };
                Ok(Stage::Stats { aggregates, by })
            }
            "sort" => {
                let mut keys = Vec::new();
                loop {
                    let field = self.field()?;
                    let descending = if self.keyword("desc") {
                        true
                    } else {
                        self.keyword("asc");
                        false
                    };
                    keys.push((field, descending));
                    if !self.punct(",") {
                        break;
                    }
                }
                Ok(Stage::Sort(keys))
            }
            "limit" => match self.next() {
                Some(Token::Number(n)) if n >= 1.0 && n.fract() == 0.0 => {
                    Ok(Stage::Limit(n as usize))
                }
                other => Err(invalid(format!(
                    "limit takes a whole number, not {other:?}"
                ))),
            },
            other => Err(invalid(format!("unknown command {other}: {SERVED}"))),
        }
    }
}

fn period_ms(text: &str) -> Result<i64, BackendError> {
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let n: i64 = digits
        .parse()
        .map_err(|_| invalid(format!("bin() takes a period like 5m, not {text}")))?;
    let unit_ms = match unit {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return Err(invalid(format!("bin() takes a period like 5m, not {text}"))),
    };
    Ok((n * unit_ms).max(1))
}

impl Query {
    pub fn parse(text: &str) -> Result<Query, BackendError> {
        let mut parser = Parser {
            tokens: tokenize(text)?,
            at: 0,
        };
        let mut stages = Vec::new();
        while parser.peek().is_some() {
            if parser.punct("|") {
                continue;
            }
            stages.push(parser.stage()?);
            if !parser.stage_ends() {
                return Err(invalid(format!(
                    "unexpected {:?} after a {} command",
                    parser.peek(),
                    stage_name(stages.last())
                )));
            }
        }
        if stages.is_empty() {
            return Err(invalid("the query is empty"));
        }
        Ok(Query { stages })
    }
}

fn stage_name(stage: Option<&Stage>) -> &'static str {
    match stage {
        Some(Stage::Fields(_)) => "fields",
        Some(Stage::Filter(_)) => "filter",
        Some(Stage::Stats { .. }) => "stats",
        Some(Stage::Sort(_)) => "sort",
        Some(Stage::Limit(_)) | None => "limit",
    }
}
