package io.hilal.core.demo;

import java.util.Map;

/** A time zone for each country in the Online Retail data (its capital's, as a fair guess). */
public final class Countries {
    private static final Map<String, String> ZONES =
            Map.ofEntries(
                    Map.entry("United Kingdom", "Europe/London"),
                    Map.entry("France", "Europe/Paris"),
                    Map.entry("Australia", "Australia/Sydney"),
                    Map.entry("Netherlands", "Europe/Amsterdam"),
                    Map.entry("Germany", "Europe/Berlin"),
                    Map.entry("Norway", "Europe/Oslo"),
                    Map.entry("EIRE", "Europe/Dublin"),
                    Map.entry("Switzerland", "Europe/Zurich"),
                    Map.entry("Spain", "Europe/Madrid"),
                    Map.entry("Poland", "Europe/Warsaw"),
                    Map.entry("Portugal", "Europe/Lisbon"),
                    Map.entry("Italy", "Europe/Rome"),
                    Map.entry("Belgium", "Europe/Brussels"),
                    Map.entry("Lithuania", "Europe/Vilnius"),
                    Map.entry("Japan", "Asia/Tokyo"),
                    Map.entry("Iceland", "Atlantic/Reykjavik"),
                    Map.entry("Channel Islands", "Europe/Jersey"),
                    Map.entry("Denmark", "Europe/Copenhagen"),
                    Map.entry("Cyprus", "Asia/Nicosia"),
                    Map.entry("Sweden", "Europe/Stockholm"),
                    Map.entry("Austria", "Europe/Vienna"),
                    Map.entry("Israel", "Asia/Jerusalem"),
                    Map.entry("Finland", "Europe/Helsinki"),
                    Map.entry("Bahrain", "Asia/Bahrain"),
                    Map.entry("Greece", "Europe/Athens"),
                    Map.entry("Hong Kong", "Asia/Hong_Kong"),
                    Map.entry("Singapore", "Asia/Singapore"),
                    Map.entry("Lebanon", "Asia/Beirut"),
                    Map.entry("United Arab Emirates", "Asia/Dubai"),
                    Map.entry("Saudi Arabia", "Asia/Riyadh"),
                    Map.entry("Czech Republic", "Europe/Prague"),
                    Map.entry("Canada", "America/Toronto"),
                    Map.entry("Brazil", "America/Sao_Paulo"),
                    Map.entry("USA", "America/New_York"),
                    Map.entry("Malta", "Europe/Malta"),
                    Map.entry("RSA", "Africa/Johannesburg"));

    private Countries() {}

    public static String timeZone(String country) {
        return ZONES.getOrDefault(country, "Europe/London");
    }
}
