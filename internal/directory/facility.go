package directory

import (
	"fmt"
	"math"
	"strings"

	"github.com/escnet/escnet/internal/schedule"
	"github.com/escnet/escnet/internal/validate"
)

// countryZones is the usual IANA zone of each country the alliance has
// members in, so that a facility without an explicit zone gets its
// country's. Countries with several zones (ES, PT) get the mainland one.
var countryZones = map[string]string{
	"AT": "Europe/Vienna", "BE": "Europe/Brussels", "BG": "Europe/Sofia", "CH": "Europe/Zurich",
	"CY": "Asia/Nicosia", "CZ": "Europe/Prague", "DE": "Europe/Berlin", "DK": "Europe/Copenhagen",
	"EE": "Europe/Tallinn", "ES": "Europe/Madrid", "FI": "Europe/Helsinki", "FR": "Europe/Paris",
	"GB": "Europe/London", "GR": "Europe/Athens", "HR": "Europe/Zagreb", "HU": "Europe/Budapest",
	"IE": "Europe/Dublin", "IS": "Atlantic/Reykjavik", "IT": "Europe/Rome", "LT": "Europe/Vilnius",
	"LU": "Europe/Luxembourg", "LV": "Europe/Riga", "MT": "Europe/Malta", "NL": "Europe/Amsterdam",
	"NO": "Europe/Oslo", "PL": "Europe/Warsaw", "PT": "Europe/Lisbon", "RO": "Europe/Bucharest",
	"SE": "Europe/Stockholm", "SI": "Europe/Ljubljana", "SK": "Europe/Bratislava", "UA": "Europe/Kyiv",
}

// CountryZone returns the usual time zone of an ISO country code ("" if
// none is known).
func CountryZone(country string) string { return countryZones[country] }

// ValidZone reports whether name is an IANA time zone this binary knows
// (schedule.ValidZone: "UTC" and "Local" are refused, a facility is
// somewhere).
func ValidZone(name string) bool { return schedule.ValidZone(name) }

// checkFacilityProfile normalises and checks the catalogue fields of a
// facility beyond name, kind and owner.
func checkFacilityProfile(errs *validate.Errors, f *Facility) {
	trim(&f.Address, &f.TimeZone, &f.Uses, &f.AccessConditions, &f.PriceModel, &f.PriceUnit)
	errs.Text("address", f.Address, false, 300)
	if (f.Latitude == nil) != (f.Longitude == nil) {
		field := "latitude"
		if f.Longitude == nil {
			field = "longitude"
		}
		errs.Add(field, validate.Required)
	}
	if f.Latitude != nil && (math.IsNaN(*f.Latitude) || *f.Latitude < -90 || *f.Latitude > 90) {
		errs.Add("latitude", validate.InvalidChoice, "choices", "-90..90")
	}
	if f.Longitude != nil && (math.IsNaN(*f.Longitude) || *f.Longitude < -180 || *f.Longitude > 180) {
		errs.Add("longitude", validate.InvalidChoice, "choices", "-180..180")
	}
	if f.TimeZone == "" {
		f.TimeZone = CountryZone(f.Country)
	}
	if f.TimeZone == "" {
		errs.Add("time_zone", validate.Required)
	} else if !ValidZone(f.TimeZone) {
		errs.Add("time_zone", schedule.InvalidTimeZone)
	}
	if f.Capacity < 0 || f.Capacity > 100000 {
		errs.Add("capacity", validate.InvalidChoice, "choices", "0..100000")
	}
	errs.Text("uses", f.Uses, false, 5000)
	f.Certifications = dedupe(f.Certifications)
	for i, c := range f.Certifications {
		errs.Text(fmt.Sprintf("certifications[%d]", i), c, true, 200)
		if strings.ContainsAny(c, "\n\r") {
			errs.Add(fmt.Sprintf("certifications[%d]", i), validate.InvalidFormat)
		}
	}
	f.Restrictions = dedupe(f.Restrictions)
	for i, r := range f.Restrictions {
		errs.Choice(fmt.Sprintf("restrictions[%d]", i), r, true, FacilityRestrictions...)
	}
	errs.Text("access_conditions", f.AccessConditions, false, 5000)
	if f.PriceModel == "" {
		f.PriceModel = "on_request"
	}
	errs.Choice("price_model", f.PriceModel, true, FacilityPriceModels...)
	switch {
	case f.PriceModel == "fixed":
		if f.PriceCents <= 0 {
			errs.Add("price_cents", validate.Required)
		}
		errs.Choice("price_unit", f.PriceUnit, true, FacilityPriceUnits...)
	case f.PriceCents != 0:
		errs.Add("price_cents", validate.InvalidChoice, "choices", "0 unless price_model is fixed")
	case f.PriceUnit != "":
		errs.Add("price_unit", validate.InvalidChoice, "choices", "empty unless price_model is fixed")
	}
	if f.PriceCents < 0 {
		errs.Add("price_cents", validate.InvalidChoice, "choices", "0 or more")
	}
}
