//! The eproc systems: the seed's table (`shared/seeds/`) as data, with lookup by id and
//! suggestion of systems from free text such as an otpauth issuer.

use crate::error::{Error, Result};

/// A catalog id, such as `tjrs-1g` or `trf4`: one of the systems below, never free text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SystemId(&'static str);

impl SystemId {
    pub const fn as_str(self) -> &'static str {
        self.0
    }

    /// The id of a catalog system, case-insensitive; anything else is an error.
    pub fn parse(text: &str) -> Result<Self> {
        let wanted = text.trim();
        SYSTEMS
            .iter()
            .find(|s| s.id.0.eq_ignore_ascii_case(wanted))
            .map(|s| s.id)
            .ok_or_else(|| Error::UnknownSystem { id: text.into() })
    }

    pub fn system(self) -> &'static System {
        SYSTEMS
            .iter()
            .find(|s| s.id == self)
            .expect("a SystemId only comes from the catalog")
    }
}

impl std::fmt::Display for SystemId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Instance {
    First,
    Second,
}

impl Instance {
    pub const fn number(self) -> u8 {
        match self {
            Instance::First => 1,
            Instance::Second => 2,
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct System {
    pub id: SystemId,
    pub name: &'static str,
    /// The seed's "COURT" column: the court or region the system belongs to.
    pub court: &'static str,
    pub instance: Option<Instance>,
    pub url: &'static str,
    pub mandatory: bool,
    /// Systems in one group accept one authenticator registration (one key).
    pub shared_key_group: Option<&'static str>,
}

/// The group of TRF4 and its Justiças Federais. The seed: "para o TRF4 e respectivas
/// JFs basta realizar o cadastramento de um único autenticador".
pub const TRF4_GROUP: &str = "trf4";

const fn sys(
    id: &'static str,
    name: &'static str,
    court: &'static str,
    instance: Option<Instance>,
    url: &'static str,
    mandatory: bool,
    shared_key_group: Option<&'static str>,
) -> System {
    System {
        id: SystemId(id),
        name,
        court,
        instance,
        url,
        mandatory,
        shared_key_group,
    }
}

use Instance::{First, Second};

/// In the seed's order. Two URLs differ from the seed, which repeats a neighbour's by
/// mistake; these are the working ones (DESIGN.md, "Catalog").
pub static SYSTEMS: [System; 22] = [
    sys(
        "tjrs-1g",
        "TJRS - 1º Grau",
        "RS",
        Some(First),
        "https://eproc1g.tjrs.jus.br/eproc/index.php",
        true,
        None,
    ),
    sys(
        "tjrs-2g",
        "TJRS - 2º Grau",
        "RS",
        Some(Second),
        "https://eproc2g.tjrs.jus.br/eproc/index.php",
        true,
        None,
    ),
    sys(
        "tjsc-1g",
        "TJSC - 1º Grau",
        "SC",
        Some(First),
        "https://eproc1g.tjsc.jus.br/eproc/index.php",
        false,
        None,
    ),
    sys(
        "tjsc-2g",
        "TJSC - 2º Grau",
        "SC",
        Some(Second),
        "https://eproc2g.tjsc.jus.br/eproc/index.php",
        false,
        None,
    ),
    sys(
        "tjto-1g",
        "TJTO - 1º Grau",
        "TO",
        Some(First),
        "https://eproc1.tjto.jus.br/eprocV2_prod_1grau/",
        true,
        None,
    ),
    sys(
        "tjto-2g",
        "TJTO - 2º Grau",
        "TO",
        Some(Second),
        "https://eproc2.tjto.jus.br/eprocV2_prod_2grau/",
        true,
        None,
    ),
    sys(
        "tjsp-1g",
        "TJSP - 1º Grau",
        "SP",
        Some(First),
        "https://eproc1g.tjsp.jus.br/eproc/",
        true,
        None,
    ),
    sys(
        "tjsp-2g",
        "TJSP - 2º Grau",
        "SP",
        Some(Second),
        "https://eproc2g.tjsp.jus.br/eproc/",
        true,
        None,
    ),
    sys(
        "tjmg-1g",
        "TJMG - 1º Grau",
        "MG",
        Some(First),
        "https://eproc1g.tjmg.jus.br/eproc/",
        true,
        None,
    ),
    sys(
        "tjmg-2g",
        "TJMG - 2º Grau",
        "MG",
        Some(Second),
        "https://eproc2g.tjmg.jus.br/eproc/",
        true,
        None,
    ),
    sys(
        "tjrj-1g",
        "TJRJ - 1º Grau",
        "RJ",
        Some(First),
        "https://eproc1g.tjrj.jus.br/eproc/",
        true,
        None,
    ),
    sys(
        "tjrj-2g",
        "TJRJ - 2º Grau",
        "RJ",
        Some(Second),
        "https://eproc2g.tjrj.jus.br/eproc/",
        true,
        None,
    ),
    sys(
        "trf2",
        "TRF2",
        "TRF2",
        None,
        "https://eproc.trf2.jus.br/eproc/",
        true,
        None,
    ),
    sys(
        "jfes",
        "JFES",
        "TRF2",
        None,
        "https://eproc.jfes.jus.br/eproc/",
        true,
        None,
    ),
    sys(
        "jfrj",
        "JFRJ",
        "TRF2",
        None,
        "https://eproc.jfrj.jus.br/eproc/",
        true,
        None,
    ),
    sys(
        "trf4",
        "TRF4",
        "TRF4",
        None,
        "https://eproc.trf4.jus.br/eproc2trf4/",
        true,
        Some(TRF4_GROUP),
    ),
    sys(
        "jfpr",
        "JFPR",
        "TRF4",
        None,
        "https://eproc.jfpr.jus.br/eprocV2/",
        true,
        Some(TRF4_GROUP),
    ),
    sys(
        "jfsc",
        "JFSC",
        "TRF4",
        None,
        "https://eproc.jfsc.jus.br/eprocV2/",
        true,
        Some(TRF4_GROUP),
    ),
    sys(
        "jfrs",
        "JFRS",
        "TRF4",
        None,
        "https://eproc.jfrs.jus.br/eprocV2/",
        true,
        Some(TRF4_GROUP),
    ),
    sys(
        "tnu",
        "TNU",
        "TNU",
        None,
        "https://eproctnu.cjf.jus.br/",
        false,
        None,
    ),
    sys(
        "trf6-1g",
        "TRF6 - 1º Grau",
        "TRF6",
        Some(First),
        "https://eproc1g.trf6.jus.br/eproc/",
        true,
        None,
    ),
    sys(
        "trf6-2g",
        "TRF6 - 2º Grau",
        "TRF6",
        Some(Second),
        "https://eproc2g.trf6.jus.br/eproc/",
        true,
        None,
    ),
];

pub fn systems() -> &'static [System] {
    &SYSTEMS
}

/// The systems that one registration serves together with `id`: its group, or itself.
pub fn key_siblings(id: SystemId) -> Vec<SystemId> {
    match id.system().shared_key_group {
        Some(group) => SYSTEMS
            .iter()
            .filter(|s| s.shared_key_group == Some(group))
            .map(|s| s.id)
            .collect(),
        None => vec![id],
    }
}

/// The court names people and issuers write, mapped to the seed's court column.
const COURT_ALIASES: [(&str, &str); 10] = [
    ("tjrs", "RS"),
    ("tjsc", "SC"),
    ("tjto", "TO"),
    ("tjsp", "SP"),
    ("tjmg", "MG"),
    ("tjrj", "RJ"),
    ("trf2", "TRF2"),
    ("trf4", "TRF4"),
    ("tnu", "TNU"),
    ("trf6", "TRF6"),
];

/// Suggests the systems a free text (an otpauth issuer, an account, a label) refers to.
///
/// - a system's host name (`eproc1g.tjrs.jus.br`) names that system;
/// - a Justiça Federal (`JFPR`, `JFES`) names that system;
/// - a court (`TJRS`, `eproc TRF6`) names all its systems, or one instance when the text
///   says which (`TJRS - 1º Grau`, `TRF6 2G`);
/// - a system in a shared-key group brings the whole group.
///
/// The result follows catalog order, without repeats; empty when nothing matches.
pub fn suggest(text: &str) -> Vec<SystemId> {
    let lower = text.to_lowercase();
    let mut chosen: Vec<SystemId> = Vec::new();

    for s in &SYSTEMS {
        if let Some(host) = host_of(s.url)
            && contains_host(&lower, host)
        {
            chosen.push(s.id);
        }
    }

    if chosen.is_empty() {
        let tokens = tokens(&lower);
        let instance = instance_in(&tokens);
        for token in &tokens {
            if token.starts_with("jf")
                && let Ok(id) = SystemId::parse(token)
            {
                chosen.push(id);
            }
            if let Some((_, court)) = COURT_ALIASES.iter().find(|(alias, _)| alias == token) {
                chosen.extend(
                    SYSTEMS
                        .iter()
                        .filter(|s| s.court == *court)
                        .filter(|s| match (instance, s.instance) {
                            (Some(wanted), Some(has)) => wanted == has,
                            _ => true,
                        })
                        .map(|s| s.id),
                );
            }
        }
    }

    let mut with_groups: Vec<SystemId> = Vec::new();
    for id in chosen {
        with_groups.extend(key_siblings(id));
    }
    SYSTEMS
        .iter()
        .map(|s| s.id)
        .filter(|id| with_groups.contains(id))
        .collect()
}

fn host_of(url: &str) -> Option<&str> {
    url.strip_prefix("https://")?.split('/').next()
}

/// Whether `host` appears in `text` as a whole host name, not inside a longer one.
fn contains_host(text: &str, host: &str) -> bool {
    text.match_indices(host).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + host.len()..].chars().next();
        let is_host_char = |c: char| c.is_ascii_alphanumeric() || c == '.' || c == '-';
        !before.is_some_and(is_host_char) && !after.is_some_and(is_host_char)
    })
}

fn tokens(lower: &str) -> Vec<String> {
    lower
        .split(|c: char| !c.is_alphanumeric() && c != 'º' && c != '°' && c != 'ª')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Reads "1º Grau", "1° grau", "1g", "2G", "2ª instância", "primeiro grau", "eproc1g"…
fn instance_in(tokens: &[String]) -> Option<Instance> {
    let mut found = None;
    for (i, t) in tokens.iter().enumerate() {
        let next_is_grade = tokens
            .get(i + 1)
            .is_some_and(|n| n == "grau" || n.starts_with("inst"));
        let this = match t.as_str() {
            "1g" | "1º" | "1°" | "1ª" | "eproc1g" | "eproc1" => Some(First),
            "2g" | "2º" | "2°" | "2ª" | "eproc2g" | "eproc2" => Some(Second),
            "1" | "primeiro" | "primeira" if next_is_grade => Some(First),
            "2" | "segundo" | "segunda" if next_is_grade => Some(Second),
            _ => None,
        };
        if this.is_some() {
            if found.is_some() && found != this {
                // Both instances named: the text does not narrow it down.
                return None;
            }
            found = this;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<&'static str> {
        suggest(text).into_iter().map(SystemId::as_str).collect()
    }

    #[test]
    fn has_the_seed_table() {
        assert_eq!(SYSTEMS.len(), 22);
        let mut seen = std::collections::HashSet::new();
        for s in &SYSTEMS {
            assert!(seen.insert(s.id), "duplicate id {}", s.id);
            assert!(s.url.starts_with("https://"), "{}", s.id);
            assert!(
                s.id.0
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            );
        }
        let optional: Vec<_> = SYSTEMS
            .iter()
            .filter(|s| !s.mandatory)
            .map(|s| s.id.0)
            .collect();
        assert_eq!(optional, ["tjsc-1g", "tjsc-2g", "tnu"]);
    }

    #[test]
    fn carries_the_two_corrected_urls() {
        assert_eq!(
            SystemId::parse("tjto-2g").unwrap().system().url,
            "https://eproc2.tjto.jus.br/eprocV2_prod_2grau/"
        );
        assert_eq!(
            SystemId::parse("trf6-1g").unwrap().system().url,
            "https://eproc1g.trf6.jus.br/eproc/"
        );
        let urls: std::collections::HashSet<_> = SYSTEMS.iter().map(|s| s.url).collect();
        assert_eq!(urls.len(), 22, "every system has its own URL");
    }

    #[test]
    fn trf4_and_its_jfs_share_one_key() {
        let group: Vec<_> = SYSTEMS
            .iter()
            .filter(|s| s.shared_key_group == Some(TRF4_GROUP))
            .map(|s| s.id.0)
            .collect();
        assert_eq!(group, ["trf4", "jfpr", "jfsc", "jfrs"]);
        let jfsc = SystemId::parse("jfsc").unwrap();
        assert_eq!(key_siblings(jfsc).len(), 4);
        assert_eq!(key_siblings(SystemId::parse("jfes").unwrap()).len(), 1);
    }

    #[test]
    fn lookup() {
        assert_eq!(SystemId::parse("TJRS-1G").unwrap().as_str(), "tjrs-1g");
        assert!(matches!(
            SystemId::parse("tjxx"),
            Err(Error::UnknownSystem { .. })
        ));
        assert!(SystemId::parse("").is_err());
    }

    #[test]
    fn suggestions() {
        let trf4 = ["trf4", "jfpr", "jfsc", "jfrs"];
        assert_eq!(ids("TRF4"), trf4);
        assert_eq!(ids("JFPR"), trf4);
        assert_eq!(ids("eproc JFRS"), trf4);
        assert_eq!(ids("eproc TJRS"), ["tjrs-1g", "tjrs-2g"]);
        assert_eq!(ids("TJRS - 1º Grau"), ["tjrs-1g"]);
        assert_eq!(ids("TJRS - 2° grau"), ["tjrs-2g"]);
        assert_eq!(ids("tjsp 2g"), ["tjsp-2g"]);
        assert_eq!(ids("TJMG segunda instância"), ["tjmg-2g"]);
        assert_eq!(ids("TRF6"), ["trf6-1g", "trf6-2g"]);
        assert_eq!(ids("TRF2"), ["trf2", "jfes", "jfrj"]);
        assert_eq!(ids("JFES"), ["jfes"]);
        assert_eq!(ids("TNU"), ["tnu"]);
        assert_eq!(ids("eproc1g.tjrs.jus.br"), ["tjrs-1g"]);
        assert_eq!(ids("https://eproc.jfsc.jus.br/eprocV2/"), trf4);
        assert_eq!(ids("eproc2.tjto.jus.br"), ["tjto-2g"]);
        assert!(ids("GitHub").is_empty());
        assert!(ids("").is_empty());
        assert!(ids("rs").is_empty(), "a bare state code is too vague");
        assert_eq!(ids("eproc2g.trf6.jus.br"), ["trf6-2g"]);
        assert_eq!(
            ids("eproc.trf4.jus.br.example"),
            trf4,
            "by the court token, not the host"
        );
    }
}
