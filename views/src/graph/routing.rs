//! Tracks for the horizontal runs of one channel. Two runs may share a row only when they do
//! not overlap (with a cell between them) or when they leave from the same place or arrive at
//! the same place, where sharing draws a fork (`┴` then `╭──┴──╮`) instead of two lines.

/// Where a run starts or ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Port {
    /// Below a state (local index in its block).
    Bottom(usize),
    /// Above a state.
    Top(usize),
    /// A lane right of the block.
    Lane(usize),
}

/// One horizontal run in a channel, from column `start` to `end`.
#[derive(Debug, Clone, Copy)]
pub struct Segment {
    pub start: usize,
    pub end: usize,
    lo: usize,
    hi: usize,
    from: Port,
    to: Port,
}

impl Segment {
    pub fn new(start: usize, end: usize, from: Port, to: Port) -> Self {
        Self {
            start,
            end,
            lo: start.min(end),
            hi: start.max(end),
            from,
            to,
        }
    }

    fn fits_beside(&self, other: &Segment) -> bool {
        self.hi + 1 < other.lo
            || other.hi + 1 < self.lo
            || self.from == other.from
            || self.to == other.to
    }
}

/// Each run's track (0 is the top row) and the number of tracks used.
pub fn assign_tracks(segments: &[Segment]) -> (Vec<usize>, usize) {
    let mut order: Vec<usize> = (0..segments.len()).collect();
    order.sort_by_key(|&i| (segments[i].lo, segments[i].hi));
    let mut tracks: Vec<Vec<usize>> = Vec::new();
    let mut out = vec![0; segments.len()];
    for i in order {
        let seg = &segments[i];
        let track = tracks
            .iter()
            .position(|t| t.iter().all(|&j| seg.fits_beside(&segments[j])))
            .unwrap_or_else(|| {
                tracks.push(Vec::new());
                tracks.len() - 1
            });
        tracks[track].push(i);
        out[i] = track;
    }
    (out, tracks.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_runs_get_their_own_tracks_and_forks_share_one() {
        let a = Segment::new(10, 2, Port::Bottom(0), Port::Top(1));
        let b = Segment::new(10, 20, Port::Bottom(0), Port::Top(2));
        let c = Segment::new(4, 15, Port::Bottom(3), Port::Top(4));
        let d = Segment::new(30, 40, Port::Bottom(5), Port::Top(6));
        let (tracks, n) = assign_tracks(&[a, b, c, d]);
        assert_eq!(tracks[0], tracks[1], "a fork shares its row");
        assert_ne!(tracks[0], tracks[2]);
        assert_eq!(tracks[3], 0, "far apart runs share the first row");
        assert_eq!(n, 2);
    }
}
