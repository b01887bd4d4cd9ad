//! Identifiers drawn from the world's seeded RNG: request ids, X-Ray trace ids, stream names.

use std::fmt::Write as _;

use fastrand::Rng;

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// `len` lowercase hex digits.
pub fn hex(rng: &mut Rng, len: usize) -> String {
    let mut out = String::with_capacity(len);
    while out.len() < len {
        let word = rng.u64(..);
        let digits = (len - out.len()).min(16);
        for shift in 0..digits {
            out.push(char::from(
                HEX_DIGITS[((word >> (shift * 4)) & 0xf) as usize],
            ));
        }
    }
    out
}

/// A random (version 4) UUID, as Lambda request ids are.
pub fn request_id(rng: &mut Rng) -> String {
    let raw = hex(rng, 32);
    let variant = ['8', '9', 'a', 'b'][rng.usize(0..4)];
    format!(
        "{}-{}-4{}-{}{}-{}",
        &raw[0..8],
        &raw[8..12],
        &raw[13..16],
        variant,
        &raw[17..20],
        &raw[20..32]
    )
}

/// `1-<8 hex digits of epoch seconds>-<24 hex digits>`.
pub fn xray_trace_id(rng: &mut Rng, epoch_ms: i64) -> String {
    let mut out = String::with_capacity(35);
    let _ = write!(out, "1-{:08x}-{}", epoch_ms.div_euclid(1000), hex(rng, 24));
    out
}

/// A Lambda log stream: `2026/11/20/[$LATEST]<32 hex digits>`.
pub fn log_stream_name(rng: &mut Rng, stream_date: &str) -> String {
    format!("{stream_date}/[$LATEST]{}", hex(rng, 32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_have_the_aws_shapes() {
        let mut rng = Rng::with_seed(7);
        let id = request_id(&mut rng);
        let parts: Vec<&str> = id.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('4'));
        let trace = xray_trace_id(&mut rng, 1_795_142_820_000);
        assert!(trace.starts_with("1-6affb4a4-"), "{trace}");
        assert_eq!(trace.len(), 35);
        let stream = log_stream_name(&mut rng, "2026/11/20");
        assert!(stream.starts_with("2026/11/20/[$LATEST]"));
        assert_eq!(stream.len(), "2026/11/20/[$LATEST]".len() + 32);
        assert!(hex(&mut rng, 40).chars().all(|c| c.is_ascii_hexdigit()));
    }
}
