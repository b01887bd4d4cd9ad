//! Parser for the JSON form of filter patterns: `{ $.level = "ERROR" && $.latency > 500 }`.

use super::{CompareOp, JsonCondition, Literal, PathStep};

/// Parses a whole `{ ... }` pattern; the error says what is wrong.
pub fn parse(pattern: &str) -> Result<JsonCondition, String> {
    let mut parser = Parser {
        chars: pattern.chars().collect(),
        at: 0,
    };
    parser.expect('{')?;
    let condition = parser.disjunction()?;
    parser.skip_spaces();
    parser.expect('}')?;
    parser.skip_spaces();
    if parser.at < parser.chars.len() {
        return Err("unexpected text after the closing '}'".to_owned());
    }
    Ok(condition)
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    fn eat(&mut self, text: &str) -> bool {
        self.skip_spaces();
        let wanted: Vec<char> = text.chars().collect();
        if self.chars[self.at..].starts_with(&wanted) {
            self.at += wanted.len();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: char) -> Result<(), String> {
        self.skip_spaces();
        match self.peek() {
            Some(found) if found == c => {
                self.at += 1;
                Ok(())
            }
            Some(found) => Err(format!("expected '{c}' but found '{found}'")),
            None => Err(format!("expected '{c}' but the pattern ended")),
        }
    }

    fn disjunction(&mut self) -> Result<JsonCondition, String> {
        let mut left = self.conjunction()?;
        while self.eat("||") {
            let right = self.conjunction()?;
            left = JsonCondition::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn conjunction(&mut self) -> Result<JsonCondition, String> {
        let mut left = self.primary()?;
        while self.eat("&&") {
            let right = self.primary()?;
            left = JsonCondition::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn primary(&mut self) -> Result<JsonCondition, String> {
        if self.eat("(") {
            let inner = self.disjunction()?;
            self.expect(')')?;
            return Ok(inner);
        }
        let path = self.path()?;
        self.skip_spaces();
        if self.eat_keyword("IS") {
            let value = if self.eat_keyword("TRUE") {
                Literal::Bool(true)
            } else if self.eat_keyword("FALSE") {
                Literal::Bool(false)
            } else if self.eat_keyword("NULL") {
                Literal::Null
            } else {
                return Err("IS must be followed by TRUE, FALSE or NULL".to_owned());
            };
            return Ok(JsonCondition::Compare {
                path,
                op: CompareOp::Equal,
                value,
            });
        }
        let op = self.operator()?;
        let value = self.literal()?;
        if matches!(value, Literal::Text(_) | Literal::Bool(_) | Literal::Null)
            && !matches!(op, CompareOp::Equal | CompareOp::NotEqual)
        {
            return Err("<, <=, > and >= need a number".to_owned());
        }
        Ok(JsonCondition::Compare { path, op, value })
    }

    fn eat_keyword(&mut self, keyword: &str) -> bool {
        self.skip_spaces();
        let start = self.at;
        let word: String = self.chars[self.at..]
            .iter()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        if word.eq_ignore_ascii_case(keyword) {
            self.at = start + word.chars().count();
            true
        } else {
            false
        }
    }

    fn path(&mut self) -> Result<Vec<PathStep>, String> {
        self.skip_spaces();
        if self.peek() != Some('$') {
            return Err("a JSON condition must start with a selector like $.level".to_owned());
        }
        self.at += 1;
        let mut steps = Vec::new();
        loop {
            match self.peek() {
                Some('.') => {
                    self.at += 1;
                    let name: String = self.chars[self.at..]
                        .iter()
                        .take_while(|c| {
                            c.is_alphanumeric() || **c == '_' || **c == '-' || **c == '@'
                        })
                        .collect();
                    if name.is_empty() {
                        return Err("a field name must follow '.' in the selector".to_owned());
                    }
                    self.at += name.chars().count();
                    steps.push(PathStep::Field(name));
                }
                Some('[') => {
                    self.at += 1;
                    let digits: String = self.chars[self.at..]
                        .iter()
                        .take_while(|c| c.is_ascii_digit())
                        .collect();
                    self.at += digits.len();
                    let index = digits.parse().map_err(|_| {
                        "an array index must be a number, like $.items[0]".to_owned()
                    })?;
                    self.expect(']')?;
                    steps.push(PathStep::Index(index));
                }
                _ => break,
            }
        }
        if steps.is_empty() {
            return Err("the selector must name a field, like $.level".to_owned());
        }
        Ok(steps)
    }

    fn operator(&mut self) -> Result<CompareOp, String> {
        for (text, op) in [
            ("!=", CompareOp::NotEqual),
            ("<=", CompareOp::LessOrEqual),
            (">=", CompareOp::GreaterOrEqual),
            ("=", CompareOp::Equal),
            ("<", CompareOp::Less),
            (">", CompareOp::Greater),
        ] {
            if self.eat(text) {
                return Ok(op);
            }
        }
        Err("expected an operator (=, !=, <, <=, >, >=) or IS after the selector".to_owned())
    }

    fn literal(&mut self) -> Result<Literal, String> {
        self.skip_spaces();
        if self.peek() == Some('"') {
            self.at += 1;
            let mut text = String::new();
            loop {
                match self.peek() {
                    None => return Err("unterminated quoted value".to_owned()),
                    Some('"') => {
                        self.at += 1;
                        return Ok(Literal::Text(text));
                    }
                    Some('\\') => {
                        self.at += 1;
                        match self.peek() {
                            Some(c) => text.push(c),
                            None => return Err("unterminated quoted value".to_owned()),
                        }
                        self.at += 1;
                    }
                    Some(c) => {
                        text.push(c);
                        self.at += 1;
                    }
                }
            }
        }
        let word: String = self.chars[self.at..]
            .iter()
            .take_while(|c| !c.is_whitespace() && !matches!(c, ')' | '}' | '&' | '|' | '"'))
            .collect();
        if word.is_empty() {
            return Err("expected a value after the operator".to_owned());
        }
        self.at += word.chars().count();
        let looks_numeric = word
            .trim_start_matches('-')
            .starts_with(|c: char| c.is_ascii_digit());
        Ok(match word.as_str() {
            "true" => Literal::Bool(true),
            "false" => Literal::Bool(false),
            "null" => Literal::Null,
            _ if looks_numeric => Literal::Number(
                word.parse()
                    .map_err(|_| format!("{word:?} is not a number; quote text values"))?,
            ),
            _ => Literal::Text(word),
        })
    }
}
