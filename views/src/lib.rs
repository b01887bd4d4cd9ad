//! unstuck-views: pure rendering. Every function here draws borrowed props into a ratatui
//! `Frame`; nothing reads clocks, config, channels or the network. It depends on
//! `unstuck-aws` with default features off (model types and the text sanitiser only).
//!
//! `widgets/` holds the shell (header, status, footer, help, prompt, detail, dialogs and the
//! screen layout); each pane has its own folder (`logs/`, `groups/`, ...).

pub mod executions;
pub mod functions;
pub mod graph;
pub mod groups;
pub mod insights;
pub mod logs;
pub mod overview;
pub mod props;
pub mod queues;
pub mod signals;
pub mod theme;
pub mod widgets;
pub mod zone;

use ratatui::Frame;

pub use props::AppProps;

/// Draw the whole screen.
pub fn render(frame: &mut Frame<'_>, props: &AppProps<'_>) {
    let areas = widgets::layout::AppLayout::new(frame.area());
    frame.render_widget(
        ratatui::widgets::Block::default().style(props.theme.chrome_base),
        frame.area(),
    );
    widgets::chrome::render_header(frame, areas.header, props);
    match &props.pane {
        props::PaneProps::Logs(logs) => {
            logs::logs_view::render(frame, areas.body, logs, props.theme)
        }
        props::PaneProps::Groups(groups) => {
            groups::groups_view::render(frame, areas.body, groups, props.theme)
        }
        props::PaneProps::Insights(insights) => {
            insights::insights_view::render(frame, areas.body, insights, props.theme)
        }
        props::PaneProps::Executions(executions) => {
            executions::render(frame, areas.body, executions, props.theme)
        }
        props::PaneProps::Queues(queues) => queues::render(frame, areas.body, queues, props.theme),
        props::PaneProps::Overview(overview) => {
            overview::render(frame, areas.body, overview, props.theme)
        }
        props::PaneProps::Functions(functions) => {
            functions::render(frame, areas.body, functions, props.theme)
        }
        props::PaneProps::Signals(signals) => {
            signals::render(frame, areas.body, signals, props.theme)
        }
    }
    widgets::chrome::render_status(frame, areas.status, props);
    widgets::chrome::render_footer(frame, areas.footer, props);
    widgets::modal_view::render(frame, &areas, &props.modals, props.theme);
}
