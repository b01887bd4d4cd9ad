//! The time zone times are shown in: UTC (the default, as CloudWatch shows them) or the
//! machine's local zone, taken once at start-up (`:tz local|utc` switches). A fixed offset:
//! a daylight-saving change during a session is not followed.

use chrono::{DateTime, FixedOffset, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Zone {
    /// Seconds east of UTC; 0 for UTC.
    pub offset_s: i32,
    pub local: bool,
}

impl Zone {
    pub const UTC: Zone = Zone {
        offset_s: 0,
        local: false,
    };

    pub fn local(offset_s: i32) -> Zone {
        Zone {
            offset_s,
            local: true,
        }
    }

    pub fn offset_ms(self) -> i64 {
        i64::from(self.offset_s) * 1_000
    }

    fn at(self, ms: i64) -> Option<DateTime<FixedOffset>> {
        let offset = FixedOffset::east_opt(self.offset_s)?;
        DateTime::<Utc>::from_timestamp_millis(ms).map(|t| t.with_timezone(&offset))
    }

    fn format(self, ms: i64, format: &str, fallback: &str) -> String {
        self.at(ms)
            .map(|t| t.format(format).to_string())
            .unwrap_or_else(|| fallback.to_string())
    }

    /// `HH:MM:SS.mmm`, a log row's time.
    pub fn row_time(self, ms: i64) -> String {
        self.format(ms, "%H:%M:%S%.3f", "??:??:??.???")
    }

    /// `HH:MM:SS`.
    pub fn clock(self, ms: i64) -> String {
        self.format(ms, "%H:%M:%S", "--:--:--")
    }

    /// `2026-11-20 02:45:00.400 UTC` / `… +01:00`.
    pub fn full(self, ms: i64) -> String {
        let zone = self.label();
        self.format(
            ms,
            &format!("%Y-%m-%d %H:%M:%S%.3f {zone}"),
            &ms.to_string(),
        )
    }

    /// What the header appends to its clock: `Z` for UTC, else the offset (`+01`, `+0530`).
    pub fn suffix(self) -> String {
        if self.offset_s == 0 && !self.local {
            return "Z".to_string();
        }
        let sign = if self.offset_s < 0 { '-' } else { '+' };
        let minutes = self.offset_s.unsigned_abs() / 60;
        match minutes % 60 {
            0 => format!("{sign}{:02}", minutes / 60),
            m => format!("{sign}{:02}{m:02}", minutes / 60),
        }
    }

    /// `UTC`, or `local +01:00`.
    pub fn label(self) -> String {
        if !self.local {
            return "UTC".to_string();
        }
        let sign = if self.offset_s < 0 { '-' } else { '+' };
        let minutes = self.offset_s.unsigned_abs() / 60;
        format!("local {sign}{:02}:{:02}", minutes / 60, minutes % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_795_142_709_400; // 2026-11-20T02:45:09.400Z

    #[test]
    fn utc_and_local_read_the_same_instant() {
        assert_eq!(Zone::UTC.row_time(T), "02:45:09.400");
        assert_eq!(Zone::UTC.suffix(), "Z");
        let paris = Zone::local(3_600);
        assert_eq!(paris.clock(T), "03:45:09");
        assert_eq!(paris.suffix(), "+01");
        assert_eq!(paris.full(T), "2026-11-20 03:45:09.400 local +01:00");
        let india = Zone::local(19_800);
        assert_eq!(india.suffix(), "+0530");
        assert_eq!(Zone::local(-18_000).row_time(T), "21:45:09.400");
        // Local on a machine set to UTC still says it is local.
        assert_eq!(Zone::local(0).suffix(), "+00");
    }
}
