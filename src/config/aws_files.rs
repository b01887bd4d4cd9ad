//! Profile names from the AWS config files (for `:profile` completion) and the regions
//! offered for `:region`. Reads `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE` or the
//! files in `~/.aws`, each at most 1 MiB; a missing or unreadable file gives no names.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::PathBuf;

/// Files larger than this are not read (a config file is a few KiB).
const MAX_FILE_BYTES: u64 = 1 << 20;

/// The commercial regions, for completion (any name can still be typed).
pub const KNOWN_REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "af-south-1",
    "ap-east-1",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-south-1",
    "eu-south-2",
    "eu-north-1",
    "il-central-1",
    "me-south-1",
    "me-central-1",
    "sa-east-1",
];

/// Profile names in the AWS config and credentials files, sorted.
pub fn profile_names(env: impl Fn(&str) -> Option<String>) -> Vec<String> {
    let home = env("HOME").map(PathBuf::from);
    let config = env("AWS_CONFIG_FILE")
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".aws/config")));
    let credentials = env("AWS_SHARED_CREDENTIALS_FILE")
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".aws/credentials")));
    let mut names = BTreeSet::new();
    if let Some(text) = config.and_then(read_small) {
        names.extend(sections(&text).filter_map(|s| {
            if s == "default" {
                Some(s.to_string())
            } else {
                s.strip_prefix("profile ").map(|n| n.trim().to_string())
            }
        }));
    }
    if let Some(text) = credentials.and_then(read_small) {
        names.extend(sections(&text).map(|s| s.to_string()));
    }
    names.into_iter().collect()
}

fn sections(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter_map(|line| {
        let line = line.trim();
        line.strip_prefix('[')?.strip_suffix(']').map(str::trim)
    })
}

/// A regular file's text, if it is at most [`MAX_FILE_BYTES`].
fn read_small(path: PathBuf) -> Option<String> {
    let meta = std::fs::metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
        return None;
    }
    let mut text = String::new();
    std::fs::File::open(&path)
        .ok()?
        .take(MAX_FILE_BYTES)
        .read_to_string(&mut text)
        .ok()?;
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_profiles_from_both_files() {
        let dir = std::env::temp_dir().join(format!("unstuck-aws-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("config");
        let credentials = dir.join("credentials");
        std::fs::write(
            &config,
            "[default]\nregion=eu-west-1\n[profile prod-sso]\nsso_start_url=x\n[sso-session s]\n",
        )
        .unwrap();
        std::fs::write(&credentials, "[ci]\naws_access_key_id=x\n").unwrap();
        let names = profile_names(|key| match key {
            "AWS_CONFIG_FILE" => Some(config.display().to_string()),
            "AWS_SHARED_CREDENTIALS_FILE" => Some(credentials.display().to_string()),
            _ => None,
        });
        assert_eq!(names, ["ci", "default", "prod-sso"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
