//! Trips made of ordered segments (flight, train, hotel, car), each end in its own zone.
use super::{Money, ValidationError, check_line, check_text};
use crate::string_enum;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

string_enum!(SegmentKind { Flight = "flight", Train = "train", Hotel = "hotel", Car = "car", Other = "other" });

impl SegmentKind {
    /// What the segment's seat/room field holds, as a label: a hotel's is its room, a rental
    /// car's the car itself.
    pub fn seat_label(self) -> &'static str {
        match self {
            SegmentKind::Hotel => "room",
            SegmentKind::Car => "car",
            SegmentKind::Flight | SegmentKind::Train | SegmentKind::Other => "seat",
        }
    }
}
string_enum!(SegmentStatus { Planned = "planned", Booked = "booked", Cancelled = "cancelled" | "canceled" });

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trip {
    pub id: i64,
    pub name: String,
    pub purpose: String,
    /// Traveller notes (preferences, visa, who to call).
    pub notes: String,
    /// Ordered by departure; filled by the store on read.
    pub segments: Vec<Segment>,
}

impl Trip {
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_line("name", &self.name, true)?;
        check_line("purpose", &self.purpose, false)?;
        check_text("notes", &self.notes)?;
        for s in &self.segments {
            s.validate()?;
        }
        Ok(())
    }
    /// First departure and last arrival, if any segment.
    pub fn span(&self) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let start = self.segments.iter().map(|s| s.depart).min()?;
        let end = self.segments.iter().map(|s| s.arrive).max()?;
        Some((start, end))
    }
}

/// One leg. For a hotel, depart = check-in and arrive = check-out, origin = hotel name,
/// destination = city; for a car, origin = pick-up and destination = drop-off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub id: i64,
    pub trip_id: i64,
    pub uid: String,
    pub kind: SegmentKind,
    /// Airline, rail company, hotel chain, rental firm.
    pub provider: String,
    /// Flight or train number, e.g. "SK 1417".
    pub number: String,
    pub confirmation: String,
    pub origin: String,
    pub destination: String,
    pub depart: DateTime<Utc>,
    pub depart_tz: Tz,
    pub arrive: DateTime<Utc>,
    pub arrive_tz: Tz,
    /// Seat or room.
    pub seat: String,
    pub cost: Option<Money>,
    pub status: SegmentStatus,
    pub notes: String,
}

#[cfg(test)]
mod seat_label_tests {
    use super::*;

    #[test]
    fn a_hotel_has_a_room_and_a_car_is_a_car() {
        assert_eq!(SegmentKind::Hotel.seat_label(), "room");
        assert_eq!(SegmentKind::Car.seat_label(), "car");
        assert_eq!(SegmentKind::Flight.seat_label(), "seat");
        assert_eq!(SegmentKind::Train.seat_label(), "seat");
    }

    #[test]
    fn the_seat_text_names_itself_once() {
        let mut s = super::tests::flight(9, 11);
        s.kind = SegmentKind::Hotel;
        s.seat = String::new();
        assert_eq!(s.seat_text(), None);
        s.seat = "1204".into();
        assert_eq!(s.seat_text().as_deref(), Some("room 1204"));
        s.seat = "Room 512, river view".into();
        assert_eq!(s.seat_text().as_deref(), Some("Room 512, river view"));
        s.kind = SegmentKind::Flight;
        s.seat = "12A".into();
        assert_eq!(s.seat_text().as_deref(), Some("seat 12A"));
    }
}

impl Segment {
    /// The seat/room field for display ("seat 12A", "room 1204"), without repeating a label
    /// the text already starts with ("Room 512, river view"); None when empty.
    pub fn seat_text(&self) -> Option<String> {
        let v = self.seat.trim();
        if v.is_empty() {
            return None;
        }
        let label = self.kind.seat_label();
        let named = v
            .get(..label.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(label));
        Some(if named {
            v.to_string()
        } else {
            format!("{label} {v}")
        })
    }

    pub fn validate(&self) -> Result<(), ValidationError> {
        check_line("provider", &self.provider, false)?;
        check_line("number", &self.number, false)?;
        check_line("confirmation", &self.confirmation, false)?;
        check_line("origin", &self.origin, false)?;
        check_line("destination", &self.destination, false)?;
        check_line("seat", &self.seat, false)?;
        check_text("notes", &self.notes)?;
        if self.arrive < self.depart {
            return Err(ValidationError::new("arrive", "is before the departure"));
        }
        if let Some(c) = self.cost {
            if let Err(e) = c.in_range() {
                return Err(ValidationError::new("cost", e.to_string()));
            }
            if c.minor < 0 {
                return Err(ValidationError::new("cost", "must not be negative"));
            }
        }
        Ok(())
    }

    /// Departure as local wall time in its own zone.
    pub fn depart_local(&self) -> DateTime<Tz> {
        self.depart.with_timezone(&self.depart_tz)
    }
    pub fn arrive_local(&self) -> DateTime<Tz> {
        self.arrive.with_timezone(&self.arrive_tz)
    }
}

/// Time on the ground between consecutive non-hotel segments (flight, train, car), in order.
/// Only gaps under 24 hours count as layovers.
pub fn layovers(segments: &[Segment]) -> Vec<(usize, chrono::Duration)> {
    let legs: Vec<(usize, &Segment)> = segments
        .iter()
        .enumerate()
        .filter(|(_, s)| s.kind != SegmentKind::Hotel && s.status != SegmentStatus::Cancelled)
        .collect();
    legs.windows(2)
        .filter_map(|w| {
            let gap = w[1].1.depart - w[0].1.arrive;
            (gap >= chrono::Duration::zero() && gap < chrono::Duration::hours(24))
                .then_some((w[1].0, gap))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    pub fn flight(dep_h: u32, arr_h: u32) -> Segment {
        Segment {
            id: 0,
            trip_id: 0,
            uid: "s@x".into(),
            kind: SegmentKind::Flight,
            provider: "SAS".into(),
            number: "SK 903".into(),
            confirmation: "ABC123".into(),
            origin: "ARN".into(),
            destination: "EWR".into(),
            depart: Utc.with_ymd_and_hms(2026, 12, 1, dep_h, 0, 0).unwrap(),
            depart_tz: chrono_tz::Europe::Stockholm,
            arrive: Utc.with_ymd_and_hms(2026, 12, 1, arr_h, 0, 0).unwrap(),
            arrive_tz: chrono_tz::America::New_York,
            seat: "12A".into(),
            cost: None,
            status: SegmentStatus::Booked,
            notes: String::new(),
        }
    }

    #[test]
    fn local_times_in_own_zones() {
        let s = flight(9, 17);
        assert_eq!(s.depart_local().format("%H:%M %Z").to_string(), "10:00 CET");
        assert_eq!(s.arrive_local().format("%H:%M %Z").to_string(), "12:00 EST");
        assert!(s.validate().is_ok());
    }

    #[test]
    fn arrival_before_departure_and_negative_cost() {
        assert_eq!(flight(17, 9).validate().unwrap_err().field, "arrive");
        let mut s = flight(9, 10);
        s.cost = Some(Money::new(-1, super::super::Currency::SEK));
        assert_eq!(s.validate().unwrap_err().field, "cost");
        s.cost = Some(Money::new(
            super::super::money::MAX_MINOR + 1,
            super::super::Currency::SEK,
        ));
        assert_eq!(s.validate().unwrap_err().field, "cost");
    }

    #[test]
    fn layovers_between_legs() {
        let a = flight(6, 8);
        let b = flight(10, 18);
        let mut hotel = flight(19, 23);
        hotel.kind = SegmentKind::Hotel;
        let l = layovers(&[a, b, hotel]);
        assert_eq!(l, vec![(1, chrono::Duration::hours(2))]);
    }

    #[test]
    fn trip_span_and_name() {
        let t = Trip {
            id: 0,
            name: "".into(),
            purpose: "".into(),
            notes: "".into(),
            segments: vec![flight(6, 8), flight(10, 18)],
        };
        assert_eq!(t.validate().unwrap_err().field, "name");
        let (s, e) = t.span().unwrap();
        assert_eq!((e - s).num_hours(), 12);
    }
}
