"""View models of the web pages: one data function per page, each returning a
documented dataclass that the HTML template and the JSON rendering both use.
No Flask here: handlers in search_api.blueprints call these and render."""
