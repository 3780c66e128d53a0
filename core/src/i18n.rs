//! The two languages of the product. pt-BR is the source language; English the other.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Pt,
    En,
}

impl Lang {
    /// Reads a POSIX locale name (`pt_BR.UTF-8`, `pt`, `en_US`, `C`): Portuguese for
    /// any `pt` locale, English for everything else.
    pub fn from_locale(locale: &str) -> Self {
        let lower = locale.trim().to_ascii_lowercase();
        if lower == "pt"
            || lower.starts_with("pt_")
            || lower.starts_with("pt-")
            || lower.starts_with("pt.")
        {
            Lang::Pt
        } else {
            Lang::En
        }
    }

    /// Picks the text for this language.
    pub fn pick<T>(self, pt: T, en: T) -> T {
        match self {
            Lang::Pt => pt,
            Lang::En => en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_locales() {
        for pt in [
            "pt_BR.UTF-8",
            "pt_BR",
            "pt",
            "PT_br.utf8",
            "pt-BR",
            "pt_PT.UTF-8",
        ] {
            assert_eq!(Lang::from_locale(pt), Lang::Pt, "{pt}");
        }
        for en in ["en_US.UTF-8", "C", "POSIX", "", "C.UTF-8", "es_ES", "ptx"] {
            assert_eq!(Lang::from_locale(en), Lang::En, "{en}");
        }
    }
}
