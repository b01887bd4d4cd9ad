//! The one modal layer: help, prompt, detail, dialog and confirm are layers on a stack over
//! the pane. The top layer owns the keys, names the hints of the footer and is drawn last:
//! that is the whole precedence rule.

use super::prompt::Prompt;
use crate::commands::Command;
use crate::config::Context;
use crate::state::shared::detail::Detail;
use crate::state::shared::text_input::TextInput;

/// A box of lines to read and dismiss (every config error found at start-up, say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dialog {
    pub title: String,
    pub lines: Vec<String>,
}

/// A mutation waiting for a yes. Bulk ones need `typed_name` typed out first.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub summary: String,
    pub command: Command,
    /// The resource name to type before `enter` confirms (bulk mutations).
    pub typed_name: Option<String>,
    pub typed: TextInput,
}

impl Confirm {
    pub fn new(command: Command, typed_name: Option<String>) -> Self {
        Self {
            summary: command.summary(),
            command,
            typed_name,
            typed: TextInput::default(),
        }
    }

    /// Whether a yes now would be taken.
    pub fn ready(&self) -> bool {
        self.typed_name
            .as_deref()
            .is_none_or(|name| self.typed.text == name)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Modal {
    Help { scroll: usize },
    Prompt(Prompt),
    Detail(Detail),
    Dialog(Dialog),
    Confirm(Confirm),
}

impl Modal {
    /// The keymap context of its bindings.
    pub fn context(&self) -> Context {
        match self {
            Modal::Help { .. } => Context::Help,
            Modal::Prompt(_) => Context::Prompt,
            Modal::Detail(_) => Context::Detail,
            Modal::Dialog(_) | Modal::Confirm(_) => Context::Dialog,
        }
    }
}

/// The layers over the pane, bottom first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModalStack {
    layers: Vec<Modal>,
}

impl ModalStack {
    pub fn top(&self) -> Option<&Modal> {
        self.layers.last()
    }

    pub fn top_mut(&mut self) -> Option<&mut Modal> {
        self.layers.last_mut()
    }

    /// Open a layer on top. A second help or prompt replaces the first.
    pub fn push(&mut self, modal: Modal) {
        let same_kind = |m: &Modal| std::mem::discriminant(m) == std::mem::discriminant(&modal);
        if matches!(
            modal,
            Modal::Help { .. } | Modal::Prompt(_) | Modal::Detail(_)
        ) {
            self.layers.retain(|m| !same_kind(m));
        }
        self.layers.push(modal);
    }

    pub fn pop(&mut self) -> Option<Modal> {
        self.layers.pop()
    }

    pub fn clear(&mut self) {
        self.layers.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.layers.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Modal> {
        self.layers.iter()
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Modal> {
        self.layers.iter_mut()
    }

    /// The open prompt, wherever it is in the stack.
    pub fn prompt(&self) -> Option<&Prompt> {
        self.layers.iter().rev().find_map(|m| match m {
            Modal::Prompt(p) => Some(p),
            _ => None,
        })
    }

    /// The scroll of the help layer, when help is open.
    pub fn help_scroll(&self) -> Option<usize> {
        self.layers.iter().rev().find_map(|m| match m {
            Modal::Help { scroll } => Some(*scroll),
            _ => None,
        })
    }
}
