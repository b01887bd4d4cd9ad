//! unstuck-views: pure rendering. Every function here draws borrowed props into a ratatui
//! `Frame`; nothing reads clocks, config, channels or the network. It depends on
//! `unstuck-aws` with default features off (model types and the text sanitiser only).

pub mod chrome;
pub mod detail_view;
pub mod groups_view;
pub mod help_view;
pub mod invocation_row;
pub mod invocations_view;
pub mod layout;
pub mod log_line;
pub mod log_row;
pub mod logs_view;
pub mod prompt_view;
pub mod props;
pub mod theme;

use ratatui::Frame;

pub use props::AppProps;

/// Draw the whole screen.
pub fn render(frame: &mut Frame<'_>, props: &AppProps<'_>) {
    let areas = layout::AppLayout::new(frame.area());
    frame.render_widget(
        ratatui::widgets::Block::default().style(props.theme.chrome_base),
        frame.area(),
    );
    chrome::render_header(frame, areas.header, props);
    match &props.pane {
        props::PaneProps::Logs(logs) => logs_view::render(frame, areas.body, logs, props.theme),
        props::PaneProps::Groups(groups) => {
            groups_view::render(frame, areas.body, groups, props.theme)
        }
    }
    if let Some(detail) = &props.detail {
        detail_view::render(frame, areas.body, detail, props.theme);
    }
    chrome::render_status(frame, areas.status, props);
    chrome::render_footer(frame, areas.footer, props);
    if let Some(prompt) = &props.prompt {
        prompt_view::render(frame, areas.body, areas.status, prompt, props.theme);
    }
    if let Some(help) = &props.help {
        help_view::render(frame, areas.body, help, props.theme);
    }
}
