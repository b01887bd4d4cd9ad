//! The saved queries shipped with the app, and `[insights]` in config.toml on top of them.

/// A named query offered by the insights pane (and `:insights NAME`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedQuery {
    pub name: String,
    pub query: String,
}

/// What CloudWatch charges per GB a Logs Insights query scans (us-east-1 and most regions,
/// standard log class). `insights_price_per_gb` in config.toml changes it.
pub const DEFAULT_PRICE_PER_GB: f64 = 0.005;

/// The shipped queries: (name, query). Lambda's platform lines give `@type`, `@duration`,
/// `@initDuration` and `@maxMemoryUsed`; `@log` is "account:group".
pub const SHIPPED_QUERIES: [(&str, &str); 4] = [
    (
        "errors-by-function",
        "filter @message like /(?i)(error|exception|timed out|task timed out)/ \
         | stats count(*) as errors by @log | sort errors desc",
    ),
    (
        "cold-starts",
        "filter @type = \"REPORT\" and ispresent(@initDuration) \
         | stats count(*) as coldStarts, avg(@initDuration) as avgInitMs, \
         max(@initDuration) as maxInitMs by @log | sort coldStarts desc",
    ),
    (
        "slowest-invocations",
        "filter @type = \"REPORT\" \
         | fields @timestamp, @log, @requestId, @duration, @billedDuration, @maxMemoryUsed \
         | sort @duration desc | limit 25",
    ),
    (
        "recent-errors",
        "fields @timestamp, @log, @message \
         | filter @message like /(?i)(error|exception)/ | sort @timestamp desc | limit 100",
    ),
];

/// The shipped queries with `overrides` applied: a name already shipped is replaced in
/// place, a new one is added at the end.
pub fn saved_queries(overrides: &[(String, String)]) -> Vec<SavedQuery> {
    let mut out: Vec<SavedQuery> = SHIPPED_QUERIES
        .iter()
        .map(|(name, query)| SavedQuery {
            name: (*name).to_string(),
            query: (*query).to_string(),
        })
        .collect();
    for (name, query) in overrides {
        match out.iter_mut().find(|q| q.name == *name) {
            Some(existing) => existing.query.clone_from(query),
            None => out.push(SavedQuery {
                name: name.clone(),
                query: query.clone(),
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_replaces_a_shipped_query_by_name_and_adds_new_ones() {
        let saved = saved_queries(&[
            ("cold-starts".into(), "fields @message".into()),
            ("mine".into(), "stats count(*)".into()),
        ]);
        assert_eq!(saved.len(), SHIPPED_QUERIES.len() + 1);
        assert_eq!(saved[1].name, "cold-starts");
        assert_eq!(saved[1].query, "fields @message");
        assert_eq!(saved.last().map(|q| q.name.as_str()), Some("mine"));
    }
}
