"""How the desk writes what it shows: dates, phone numbers, durations, languages, backend text made safe, ids no person reads."""
