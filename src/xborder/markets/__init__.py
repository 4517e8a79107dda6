"""Market profiles as cited, effective-dated data: `market("DE").on(date)` and friends."""
