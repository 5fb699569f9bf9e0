"""The web service and the search engine. Built in issues 5-7."""
