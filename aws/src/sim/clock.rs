//! The demo world's clock: a fixed epoch (a 3 a.m. incident) plus tokio time, so tests with
//! paused tokio time are deterministic. Also the few date formats the log writer needs.

use tokio::time::Instant;

/// 2026-11-20T02:47:00Z: the moment the demo starts (the pager went off a few minutes ago).
pub const DEMO_EPOCH_MS: i64 = 1_795_142_820_000;

/// Fixed epoch plus the tokio time elapsed since the world was created.
#[derive(Debug, Clone, Copy)]
pub struct SimClock {
    epoch_ms: i64,
    started: Instant,
}

impl SimClock {
    /// Starts at [`DEMO_EPOCH_MS`] now. Must be called inside a tokio runtime.
    pub fn start() -> Self {
        Self {
            epoch_ms: DEMO_EPOCH_MS,
            started: Instant::now(),
        }
    }

    pub fn epoch_ms(&self) -> i64 {
        self.epoch_ms
    }

    pub fn now_ms(&self) -> i64 {
        let elapsed_ms = i64::try_from(self.started.elapsed().as_millis()).unwrap_or(i64::MAX);
        self.epoch_ms.saturating_add(elapsed_ms)
    }
}

/// A UTC calendar time broken into fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UtcTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub millis: u32,
}

impl UtcTime {
    pub fn from_epoch_ms(epoch_ms: i64) -> Self {
        let days = epoch_ms.div_euclid(86_400_000);
        let ms_of_day = epoch_ms.rem_euclid(86_400_000);
        let (year, month, day) = civil_from_days(days);
        let ms_of_day = u32::try_from(ms_of_day).unwrap_or(0);
        Self {
            year,
            month,
            day,
            hour: ms_of_day / 3_600_000,
            minute: ms_of_day / 60_000 % 60,
            second: ms_of_day / 1000 % 60,
            millis: ms_of_day % 1000,
        }
    }

    /// `2026-11-20T02:47:01.123Z` (Node.js console, Powertools for TypeScript, Lambda runtime).
    pub fn iso8601(&self) -> String {
        let mut out = String::with_capacity(24);
        self.push_iso8601(&mut out);
        out
    }

    pub fn push_iso8601(&self, out: &mut String) {
        self.push_date(out, '-');
        out.push('T');
        self.push_time(out, '.');
        out.push('Z');
    }

    /// `2026-11-20 02:47:01,123+0000` (Powertools for Python).
    pub fn push_python_logging(&self, out: &mut String) {
        self.push_date(out, '-');
        out.push(' ');
        self.push_time(out, ',');
        out.push_str("+0000");
    }

    /// `2026-11-20 02:47:01.123` (log4j2 on Java).
    pub fn log4j(&self) -> String {
        let mut out = String::with_capacity(23);
        self.push_date(&mut out, '-');
        out.push(' ');
        self.push_time(&mut out, '.');
        out
    }

    /// `2026/11/20`: the date prefix of a Lambda log stream name.
    pub fn stream_date(&self) -> String {
        let mut out = String::with_capacity(10);
        self.push_date(&mut out, '/');
        out
    }

    fn push_date(&self, out: &mut String, separator: char) {
        push_padded(out, u64::try_from(self.year).unwrap_or(0), 4);
        out.push(separator);
        push_padded(out, u64::from(self.month), 2);
        out.push(separator);
        push_padded(out, u64::from(self.day), 2);
    }

    /// `02:47:01.123` with the given separator before the milliseconds.
    fn push_time(&self, out: &mut String, millis_separator: char) {
        push_padded(out, u64::from(self.hour), 2);
        out.push(':');
        push_padded(out, u64::from(self.minute), 2);
        out.push(':');
        push_padded(out, u64::from(self.second), 2);
        out.push(millis_separator);
        push_padded(out, u64::from(self.millis), 3);
    }
}

/// `value` in decimal, zero-padded to at least `width` digits (cheaper than `format!`: the
/// demo world writes tens of thousands of timestamps at start).
pub fn push_padded(out: &mut String, value: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut rest = value;
    let mut len = 0;
    while rest > 0 || len == 0 {
        digits[len] = b'0' + (rest % 10) as u8;
        rest /= 10;
        len += 1;
    }
    for _ in len..width {
        out.push('0');
    }
    for &digit in digits[..len].iter().rev() {
        out.push(char::from(digit));
    }
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_epoch_is_the_incident_time() {
        let t = UtcTime::from_epoch_ms(DEMO_EPOCH_MS + 1_123);
        assert_eq!(t.iso8601(), "2026-11-20T02:47:01.123Z");
        let mut python = String::new();
        t.push_python_logging(&mut python);
        assert_eq!(python, "2026-11-20 02:47:01,123+0000");
        assert_eq!(t.log4j(), "2026-11-20 02:47:01.123");
        assert_eq!(t.stream_date(), "2026/11/20");
    }

    #[test]
    fn padded_numbers() {
        let mut out = String::new();
        push_padded(&mut out, 7, 3);
        push_padded(&mut out, 0, 1);
        push_padded(&mut out, 12345, 2);
        assert_eq!(out, "007012345");
    }

    #[test]
    fn civil_dates_across_leap_years_and_the_epoch() {
        assert_eq!(
            UtcTime::from_epoch_ms(0).iso8601(),
            "1970-01-01T00:00:00.000Z"
        );
        // 2024-02-29T23:59:59.999Z
        assert_eq!(
            UtcTime::from_epoch_ms(1_709_251_199_999).iso8601(),
            "2024-02-29T23:59:59.999Z"
        );
        assert_eq!(
            UtcTime::from_epoch_ms(-1).iso8601(),
            "1969-12-31T23:59:59.999Z"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn clock_follows_paused_tokio_time() {
        let clock = SimClock::start();
        assert_eq!(clock.now_ms(), DEMO_EPOCH_MS);
        tokio::time::advance(std::time::Duration::from_millis(1500)).await;
        assert_eq!(clock.now_ms(), DEMO_EPOCH_MS + 1500);
    }
}
