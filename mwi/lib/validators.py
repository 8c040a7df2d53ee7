"""Field validators shared by the models and the importers (one rule for each)."""

from django.core.validators import URLValidator

# The only link schemes MWI stores: every URL field of the models carries it (so the admin
# refuses `javascript:`, `data:` and `ftp:` links), and importers check with it through
# `mwi.lib.importing.clean_url`.
validate_http_url = URLValidator(schemes=["http", "https"])
