//! Money in integer minor units with an ISO 4217 currency. Never floats.
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("unknown currency '{0}' (use an ISO 4217 code such as SEK, EUR, USD)")]
    UnknownCurrency(String),
    #[error("invalid amount '{0}'")]
    InvalidAmount(String),
    /// The amount, the currency and how many decimals it has.
    #[error("amount '{0}' has more decimals than {1} has ({2})")]
    TooPrecise(String, &'static str, u8),
    #[error("cannot combine {0} and {1}")]
    CurrencyMismatch(&'static str, &'static str),
    #[error("amount out of range")]
    Overflow,
    /// The amount as typed (or shown) and the largest amount in its currency.
    #[error("amount '{0}' is out of range (at most {1})")]
    TooLarge(String, String),
    /// An amount, the currency it cannot be written in exactly, and that currency's decimals.
    #[error("{0} cannot be written in {1} exactly ({1} has {2} decimals)")]
    Inexact(String, &'static str, u8),
}

/// The largest amount, in minor units (either sign): 15 digits, 9 999 999 999 999.99 SEK or
/// 999 999 999 999 999 JPY. Far above any invoice, and low enough that thousands of them add
/// up without overflow; a 17-digit OCR number pasted into an amount is refused.
pub const MAX_MINOR: i64 = 999_999_999_999_999;

/// ISO 4217 List One: every currency in active use, with its minor-unit digits, sorted by
/// code (looked up by binary search). Left out: codes without minor units ("N.A.": gold XAU,
/// silver XAG, platinum XPT, palladium XPD, the bond-market units XBA-XBD, the SDR XDR, XSU,
/// XUA, the testing code XTS and "no currency" XXX) and withdrawn ones (ANG since 2025, ZWL
/// 2024, SLL, HRK 2023, CUC 2021). Fund codes with minor units are in (BOV, CHE, CHW, CLF,
/// COU, MXV, USN, UYI, UYW).
#[rustfmt::skip]
const CURRENCIES: &[(&str, u8)] = &[
    ("AED", 2), ("AFN", 2), ("ALL", 2), ("AMD", 2), ("AOA", 2), ("ARS", 2), ("AUD", 2), ("AWG", 2),
    ("AZN", 2), ("BAM", 2), ("BBD", 2), ("BDT", 2), ("BGN", 2), ("BHD", 3), ("BIF", 0), ("BMD", 2),
    ("BND", 2), ("BOB", 2), ("BOV", 2), ("BRL", 2), ("BSD", 2), ("BTN", 2), ("BWP", 2), ("BYN", 2),
    ("BZD", 2), ("CAD", 2), ("CDF", 2), ("CHE", 2), ("CHF", 2), ("CHW", 2), ("CLF", 4), ("CLP", 0),
    ("CNY", 2), ("COP", 2), ("COU", 2), ("CRC", 2), ("CUP", 2), ("CVE", 2), ("CZK", 2), ("DJF", 0),
    ("DKK", 2), ("DOP", 2), ("DZD", 2), ("EGP", 2), ("ERN", 2), ("ETB", 2), ("EUR", 2), ("FJD", 2),
    ("FKP", 2), ("GBP", 2), ("GEL", 2), ("GHS", 2), ("GIP", 2), ("GMD", 2), ("GNF", 0), ("GTQ", 2),
    ("GYD", 2), ("HKD", 2), ("HNL", 2), ("HTG", 2), ("HUF", 2), ("IDR", 2), ("ILS", 2), ("INR", 2),
    ("IQD", 3), ("IRR", 2), ("ISK", 0), ("JMD", 2), ("JOD", 3), ("JPY", 0), ("KES", 2), ("KGS", 2),
    ("KHR", 2), ("KMF", 0), ("KPW", 2), ("KRW", 0), ("KWD", 3), ("KYD", 2), ("KZT", 2), ("LAK", 2),
    ("LBP", 2), ("LKR", 2), ("LRD", 2), ("LSL", 2), ("LYD", 3), ("MAD", 2), ("MDL", 2), ("MGA", 2),
    ("MKD", 2), ("MMK", 2), ("MNT", 2), ("MOP", 2), ("MRU", 2), ("MUR", 2), ("MVR", 2), ("MWK", 2),
    ("MXN", 2), ("MXV", 2), ("MYR", 2), ("MZN", 2), ("NAD", 2), ("NGN", 2), ("NIO", 2), ("NOK", 2),
    ("NPR", 2), ("NZD", 2), ("OMR", 3), ("PAB", 2), ("PEN", 2), ("PGK", 2), ("PHP", 2), ("PKR", 2),
    ("PLN", 2), ("PYG", 0), ("QAR", 2), ("RON", 2), ("RSD", 2), ("RUB", 2), ("RWF", 0), ("SAR", 2),
    ("SBD", 2), ("SCR", 2), ("SDG", 2), ("SEK", 2), ("SGD", 2), ("SHP", 2), ("SLE", 2), ("SOS", 2),
    ("SRD", 2), ("SSP", 2), ("STN", 2), ("SVC", 2), ("SYP", 2), ("SZL", 2), ("THB", 2), ("TJS", 2),
    ("TMT", 2), ("TND", 3), ("TOP", 2), ("TRY", 2), ("TTD", 2), ("TWD", 2), ("TZS", 2), ("UAH", 2),
    ("UGX", 0), ("USD", 2), ("USN", 2), ("UYI", 0), ("UYU", 2), ("UYW", 4), ("UZS", 2), ("VED", 2),
    ("VES", 2), ("VND", 0), ("VUV", 0), ("WST", 2), ("XAF", 0), ("XCD", 2), ("XCG", 2), ("XOF", 0),
    ("XPF", 0), ("YER", 2), ("ZAR", 2), ("ZMW", 2), ("ZWG", 2),
];

/// A validated ISO 4217 currency code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency(&'static str);

impl Currency {
    pub fn parse(code: &str) -> Result<Currency, MoneyError> {
        let up = code.trim().to_ascii_uppercase();
        CURRENCIES
            .binary_search_by(|(c, _)| (*c).cmp(up.as_str()))
            .map(|i| Currency(CURRENCIES[i].0))
            .map_err(|_| MoneyError::UnknownCurrency(code.trim().to_string()))
    }
    pub fn code(self) -> &'static str {
        self.0
    }
    /// Digits after the decimal point (2 for SEK, 0 for JPY, 3 for KWD, 4 for CLF).
    pub fn exponent(self) -> u8 {
        CURRENCIES
            .binary_search_by(|(c, _)| (*c).cmp(self.0))
            .map(|i| CURRENCIES[i].1)
            .unwrap_or(2)
    }

    pub const SEK: Currency = Currency("SEK");
    pub const EUR: Currency = Currency("EUR");
    pub const USD: Currency = Currency("USD");
    pub const GBP: Currency = Currency("GBP");
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

/// An amount: `minor` units (öre, cents) of `currency`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    /// Parse an amount in the currency's decimals. Accepts `1249`, `1249.5`, `1 249,00`,
    /// `1,249.00`, `1.249,00`, `-12.50`. A separator followed by exactly three digits with
    /// nothing after (and no other separator kind) is read as a thousands separator when the
    /// currency has fewer than three decimals: `1,249` is 1249 SEK or JPY, but 1.249 KWD. Not
    /// after zeros alone: `0,500` is half a euro, never 500 (`0.001` SEK is refused: SEK has
    /// two decimals). Zeros past the currency's decimals are fine (`0,500` EUR is 0.50).
    pub fn parse_amount(text: &str, currency: Currency) -> Result<Money, MoneyError> {
        let bad = || MoneyError::InvalidAmount(text.trim().to_string());
        let mut s: String = text
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '_' | '\''))
            .collect();
        let negative = s.starts_with('-');
        if negative || s.starts_with('+') {
            s.remove(0);
        }
        if s.is_empty()
            || !s
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        {
            return Err(bad());
        }
        let exp = currency.exponent() as usize;
        // Find the decimal separator: the last '.' or ',' if it is followed by 1..=exp digits
        // (or if both kinds appear, the last one).
        let last = s.rfind(['.', ',']);
        let (int_part, frac_part) = match last {
            None => (s.clone(), String::new()),
            Some(i) => {
                let sep = s.as_bytes()[i] as char;
                let other = if sep == '.' { ',' } else { '.' };
                let frac = &s[i + 1..];
                let both_kinds = s.contains(other);
                let occurrences = s.matches(sep).count();
                // a group of zeros is never a thousands group: "0,500" is a fraction
                let zeros_before = s[..i].chars().all(|c| c == '0');
                let is_decimal = both_kinds
                    || (occurrences == 1 && (zeros_before || !(frac.len() == 3 && exp < 3)));
                if is_decimal {
                    let head = &s[..i];
                    if head.contains(sep) {
                        return Err(bad());
                    }
                    if both_kinds {
                        let groups: Vec<&str> = head.split(other).collect();
                        if groups[0].is_empty()
                            || groups[0].len() > 3
                            || groups[1..].iter().any(|g| g.len() != 3)
                        {
                            return Err(bad());
                        }
                    }
                    (head.replace(other, ""), frac.to_string())
                } else {
                    // thousands separators only: every group after the first has 3 digits
                    let groups: Vec<&str> = s.split(sep).collect();
                    if groups[1..].iter().any(|g| g.len() != 3) || groups[0].is_empty() {
                        return Err(bad());
                    }
                    (groups.concat(), String::new())
                }
            }
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(bad());
        }
        if !frac_part.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        // zeros past the currency's decimals change nothing ("0,500" EUR)
        let frac_part = if frac_part.len() > exp && frac_part[exp..].chars().all(|c| c == '0') {
            frac_part[..exp].to_string()
        } else {
            frac_part
        };
        if frac_part.len() > exp {
            return Err(MoneyError::TooPrecise(
                text.trim().to_string(),
                currency.code(),
                currency.exponent(),
            ));
        }
        let mut digits = if int_part.is_empty() {
            "0".to_string()
        } else {
            int_part
        };
        digits.push_str(&frac_part);
        for _ in frac_part.len()..exp {
            digits.push('0');
        }
        let too_large = || MoneyError::TooLarge(text.trim().to_string(), Money::max(currency));
        let v: i64 = digits.parse().map_err(|_| too_large())?;
        if v > MAX_MINOR {
            return Err(too_large());
        }
        Ok(Money::new(if negative { -v } else { v }, currency))
    }

    /// The largest amount in `currency`, as shown: `9 999 999 999 999.99 SEK`.
    fn max(currency: Currency) -> String {
        Money::new(MAX_MINOR, currency).to_string()
    }

    /// This amount, or [`MoneyError::TooLarge`] when it is beyond [`MAX_MINOR`] either way
    /// (a record's rule: an amount written by another tool may be anything).
    pub fn in_range(self) -> Result<Money, MoneyError> {
        if self.minor.unsigned_abs() > MAX_MINOR as u64 {
            return Err(MoneyError::TooLarge(
                self.to_string(),
                Money::max(self.currency),
            ));
        }
        Ok(self)
    }

    /// The same amount in another currency's minor units (1.250 KWD is 1.25 SEK): for a record
    /// whose currency changes and whose amount does not. An amount the other currency cannot
    /// hold exactly (1.255 KWD in SEK, 0.50 EUR in JPY) is [`MoneyError::Inexact`], never
    /// rounded; one beyond its range is [`MoneyError::TooLarge`].
    pub fn in_currency(self, to: Currency) -> Result<Money, MoneyError> {
        let (from, want) = (
            i32::from(self.currency.exponent()),
            i32::from(to.exponent()),
        );
        let scale = 10i128.pow((from - want).unsigned_abs());
        let minor = i128::from(self.minor);
        let converted = if want >= from {
            minor * scale
        } else if minor % scale == 0 {
            minor / scale
        } else {
            return Err(MoneyError::Inexact(
                self.to_string(),
                to.code(),
                to.exponent(),
            ));
        };
        match i64::try_from(converted) {
            Ok(m) if m.unsigned_abs() <= MAX_MINOR as u64 => Ok(Money::new(m, to)),
            _ => Err(MoneyError::TooLarge(self.to_string(), Money::max(to))),
        }
    }

    /// The amount text and the currency of "1 249,00 SEK", "SEK 1249", "EUR 12.50", "12.50
    /// EUR"; None when no word names a currency ("1249"), an error when the last word looks
    /// like a code but is none ("12.50 XYZ").
    pub fn split_currency(text: &str) -> Result<Option<(String, Currency)>, MoneyError> {
        let words: Vec<&str> = text.split_whitespace().collect();
        if words.len() >= 2 {
            if let Ok(c) = Currency::parse(words[words.len() - 1]) {
                return Ok(Some((words[..words.len() - 1].join(" "), c)));
            }
            if let Ok(c) = Currency::parse(words[0]) {
                return Ok(Some((words[1..].join(" "), c)));
            }
            let last = words[words.len() - 1];
            if last.chars().all(|c| c.is_ascii_alphabetic()) {
                return Err(MoneyError::UnknownCurrency(last.to_string()));
            }
        }
        Ok(None)
    }

    /// Parse "1 249,00 SEK", "SEK 1249", "EUR 12.50", "12.50 EUR".
    pub fn parse(text: &str) -> Result<Money, MoneyError> {
        match Money::split_currency(text)? {
            Some((amount, c)) => Money::parse_amount(&amount, c),
            None => Err(MoneyError::InvalidAmount(text.trim().to_string())),
        }
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch(
                self.currency.code(),
                other.currency.code(),
            ));
        }
        self.minor
            .checked_add(other.minor)
            .map(|m| Money::new(m, self.currency))
            .ok_or(MoneyError::Overflow)
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.checked_add(Money::new(
            other.minor.checked_neg().ok_or(MoneyError::Overflow)?,
            other.currency,
        ))
    }

    /// The amount as a plain decimal string without grouping: `1249.00`, `-5`, `0.125`.
    pub fn amount_plain(&self) -> String {
        let exp = self.currency.exponent() as u32;
        let neg = self.minor < 0;
        let abs = self.minor.unsigned_abs();
        let div = 10u64.pow(exp);
        let int = abs / div;
        let frac = abs % div;
        let sign = if neg { "-" } else { "" };
        if exp == 0 {
            format!("{sign}{int}")
        } else {
            format!("{sign}{int}.{frac:0width$}", width = exp as usize)
        }
    }

    /// The amount grouped by thousands with a thin space: `1 249.00`.
    pub fn amount_grouped(&self) -> String {
        let plain = self.amount_plain();
        let (sign, rest) = match plain.strip_prefix('-') {
            Some(r) => ("-", r),
            None => ("", plain.as_str()),
        };
        let (int, frac) = match rest.find('.') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let mut grouped = String::new();
        for (i, ch) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push(' ');
            }
            grouped.push(ch);
        }
        format!("{sign}{grouped}{frac}")
    }
}

impl fmt::Display for Money {
    /// `1 249.00 SEK`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount_grouped(), self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sek(m: i64) -> Money {
        Money::new(m, Currency::SEK)
    }

    #[test]
    fn parses_common_forms() {
        let cases = [
            ("1249", 124900),
            ("1249.5", 124950),
            ("1 249,00", 124900),
            ("1,249.00", 124900),
            ("1.249,00", 124900),
            ("1,249", 124900),
            ("12,5", 1250),
            ("-12.50", -1250),
            ("0.01", 1),
            (",50", 50),
            ("1 000 000", 100000000),
        ];
        for (text, minor) in cases {
            assert_eq!(
                Money::parse_amount(text, Currency::SEK).unwrap(),
                sek(minor),
                "{text}"
            );
        }
    }

    #[test]
    fn rejects_garbage_and_excess_precision() {
        for bad in ["", "abc", "1.2.3", "12,34.5", "--1", "1,24,9", "."] {
            assert!(
                Money::parse_amount(bad, Currency::SEK).is_err(),
                "{bad:?} accepted"
            );
        }
        assert!(matches!(
            Money::parse_amount("1.0055", Currency::SEK),
            Err(MoneyError::TooPrecise(_, "SEK", 2))
        ));
        assert!(matches!(
            Money::parse_amount("1.5", Currency::parse("JPY").unwrap()),
            Err(MoneyError::TooPrecise(..))
        ));
    }

    #[test]
    fn zero_and_three_decimal_currencies() {
        let jpy = Currency::parse("jpy").unwrap();
        assert_eq!(Money::parse_amount("1,500", jpy).unwrap().minor, 1500);
        assert_eq!(Money::new(1500, jpy).to_string(), "1 500 JPY");
        let kwd = Currency::parse("KWD").unwrap();
        assert_eq!(Money::parse_amount("1.250", kwd).unwrap().minor, 1250);
        assert_eq!(Money::new(1250, kwd).to_string(), "1.250 KWD");
    }

    #[test]
    fn the_table_is_sorted_unique_iso_codes() {
        for w in CURRENCIES.windows(2) {
            assert!(w[0].0 < w[1].0, "{} then {}", w[0].0, w[1].0);
        }
        for (c, e) in CURRENCIES {
            assert!(
                c.len() == 3 && c.chars().all(|x| x.is_ascii_uppercase()),
                "{c}"
            );
            assert!(*e <= 4, "{c} {e}");
            assert_eq!(Currency::parse(c).unwrap().code(), *c);
        }
        assert!(CURRENCIES.len() >= 150, "{}", CURRENCIES.len());
    }

    /// Currencies that were refused before the full list, and each class of minor units.
    #[rstest::rstest]
    #[case("NGN", 2)]
    #[case("KES", 2)]
    #[case("PEN", 2)]
    #[case("PKR", 2)]
    #[case("xof", 0)]
    #[case("BDT", 2)]
    #[case("LKR", 2)]
    #[case("KZT", 2)]
    #[case("JPY", 0)]
    #[case("CLP", 0)]
    #[case("KWD", 3)]
    #[case("BHD", 3)]
    #[case("OMR", 3)]
    #[case("JOD", 3)]
    #[case("TND", 3)]
    #[case("LYD", 3)]
    #[case("IQD", 3)]
    #[case("CLF", 4)]
    #[case("UYW", 4)]
    #[case("XCG", 2)]
    #[case("ZWG", 2)]
    fn minor_units(#[case] code: &str, #[case] digits: u8) {
        assert_eq!(Currency::parse(code).unwrap().exponent(), digits, "{code}");
    }

    #[rstest::rstest]
    #[case("XAU")] // no minor units: not money for an invoice
    #[case("XXX")]
    #[case("XTS")]
    #[case("ANG")] // withdrawn 2025 (XCG)
    #[case("ZWL")] // withdrawn 2024 (ZWG)
    #[case("HRK")] // withdrawn 2023 (EUR)
    #[case("SE")]
    fn not_accepted(#[case] code: &str) {
        assert!(Currency::parse(code).is_err(), "{code}");
    }

    /// Parsing and formatting for 0, 2, 3 and 4 decimals.
    #[rstest::rstest]
    #[case("1 500", "XOF", 1500, "1 500 XOF")]
    #[case("1,500", "JPY", 1500, "1 500 JPY")]
    #[case("12,50", "NGN", 1250, "12.50 NGN")]
    #[case("1,250", "KES", 125000, "1 250.00 KES")]
    #[case("1.250", "IQD", 1250, "1.250 IQD")]
    #[case("1 234,567", "BHD", 1234567, "1 234.567 BHD")]
    #[case("0.5", "OMR", 500, "0.500 OMR")]
    #[case("1.234", "CLF", 12340, "1.2340 CLF")]
    #[case("12 345,6789", "UYW", 123456789, "12 345.6789 UYW")]
    #[case("-0.0001", "CLF", -1, "-0.0001 CLF")]
    fn each_class_parses_and_formats(
        #[case] text: &str,
        #[case] code: &str,
        #[case] minor: i64,
        #[case] shown: &str,
    ) {
        let c = Currency::parse(code).unwrap();
        let m = Money::parse_amount(text, c).unwrap();
        assert_eq!(m.minor, minor, "{text} {code}");
        assert_eq!(m.to_string(), shown);
        // what is shown reads back to the same amount
        assert_eq!(Money::parse(shown).unwrap(), m);
    }

    /// Zeros before the separator are never a thousands group: `0,500` EUR is half a euro;
    /// and every amount has a largest.
    #[rstest::rstest]
    #[case("0,500", "EUR", Ok(50))]
    #[case("0.050", "EUR", Ok(5))]
    #[case("0,5", "EUR", Ok(50))]
    #[case("00,500", "SEK", Ok(50))]
    #[case(",500", "SEK", Ok(50))]
    #[case("-0,250", "EUR", Ok(-25))]
    #[case("0.000", "SEK", Ok(0))]
    #[case(
        "0.001",
        "SEK",
        Err("amount '0.001' has more decimals than SEK has (2)")
    )]
    #[case(
        "0,125",
        "EUR",
        Err("amount '0,125' has more decimals than EUR has (2)")
    )]
    #[case(
        "0,500",
        "JPY",
        Err("amount '0,500' has more decimals than JPY has (0)")
    )]
    #[case("0.500", "KWD", Ok(500))]
    #[case("1.2300", "SEK", Ok(123))]
    // a group after a non-zero digit is still thousands below three decimals
    #[case("1,500", "EUR", Ok(150_000))]
    #[case("10.050", "SEK", Ok(1_005_000))]
    // fifteen digits of minor units either way; a 17-digit OCR number is refused, naming the
    // largest amount in that currency
    #[case("9 999 999 999 999.99", "SEK", Ok(MAX_MINOR))]
    #[case("-9999999999999.99", "SEK", Ok(-MAX_MINOR))]
    #[case("999999999999999", "JPY", Ok(MAX_MINOR))]
    #[case("99999999999.9999", "CLF", Ok(MAX_MINOR))]
    #[case(
        "10000000000000",
        "SEK",
        Err("amount '10000000000000' is out of range (at most 9 999 999 999 999.99 SEK)")
    )]
    #[case(
        "92233720368547758",
        "SEK",
        Err("amount '92233720368547758' is out of range (at most 9 999 999 999 999.99 SEK)")
    )]
    #[case(
        "1000000000000000",
        "JPY",
        Err("amount '1000000000000000' is out of range (at most 999 999 999 999 999 JPY)")
    )]
    #[case(
        "99999999999999999999999",
        "KWD",
        Err("amount '99999999999999999999999' is out of range (at most 999 999 999 999.999 KWD)")
    )]
    fn zeros_and_the_largest_per_currency(
        #[case] text: &str,
        #[case] code: &str,
        #[case] want: Result<i64, &str>,
    ) {
        let c = Currency::parse(code).unwrap();
        let got = Money::parse_amount(text, c)
            .map(|m| m.minor)
            .map_err(|e| e.to_string());
        assert_eq!(got, want.map_err(str::to_string), "{text} {code}");
    }

    #[test]
    fn too_many_decimals_per_class() {
        for (text, code) in [
            ("1.5", "XOF"),
            ("1.5555", "PKR"),
            ("1.5555", "KWD"),
            ("1.23456", "CLF"),
        ] {
            assert!(
                matches!(
                    Money::parse_amount(text, Currency::parse(code).unwrap()),
                    Err(MoneyError::TooPrecise(..))
                ),
                "{text} {code}"
            );
        }
    }

    #[test]
    fn parse_with_currency_either_side() {
        assert_eq!(Money::parse("1 249,00 SEK").unwrap(), sek(124900));
        assert_eq!(
            Money::parse("eur 12.50").unwrap(),
            Money::new(1250, Currency::EUR)
        );
        assert!(
            matches!(Money::parse("12.50 XYZ"), Err(MoneyError::UnknownCurrency(c)) if c == "XYZ")
        );
        assert!(Money::parse("12.50").is_err());
    }

    #[test]
    fn unknown_currency_is_named() {
        let e = Currency::parse("SEKK").unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown currency 'SEKK' (use an ISO 4217 code such as SEK, EUR, USD)"
        );
    }

    #[test]
    fn formatting() {
        assert_eq!(sek(124900).to_string(), "1 249.00 SEK");
        assert_eq!(sek(-5).to_string(), "-0.05 SEK");
        assert_eq!(sek(0).amount_plain(), "0.00");
        assert_eq!(sek(10_000_000_000).amount_grouped(), "100 000 000.00");
        assert_eq!(sek(i64::MIN).amount_plain(), "-92233720368547758.08");
    }

    /// Fifteen digits of minor units either way, however many decimals: one more is out
    /// of range.
    #[test]
    fn amounts_have_a_largest() {
        assert_eq!(sek(MAX_MINOR).in_range(), Ok(sek(MAX_MINOR)));
        assert_eq!(sek(-MAX_MINOR).in_range(), Ok(sek(-MAX_MINOR)));
        for minor in [MAX_MINOR + 1, -MAX_MINOR - 1, i64::MIN, i64::MAX] {
            assert!(
                matches!(sek(minor).in_range(), Err(MoneyError::TooLarge(..))),
                "{minor}"
            );
        }
    }

    #[test]
    fn arithmetic_checks_currency_and_overflow() {
        assert_eq!(sek(100).checked_add(sek(250)).unwrap(), sek(350));
        assert_eq!(sek(100).checked_sub(sek(250)).unwrap(), sek(-150));
        assert!(matches!(
            sek(1).checked_add(Money::new(1, Currency::EUR)),
            Err(MoneyError::CurrencyMismatch("SEK", "EUR"))
        ));
        assert_eq!(sek(i64::MAX).checked_add(sek(1)), Err(MoneyError::Overflow));
        assert_eq!(sek(0).checked_sub(sek(i64::MIN)), Err(MoneyError::Overflow));
    }
}
