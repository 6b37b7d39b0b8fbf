"""The errors the generated client raises."""

from typing import Any


class UnexpectedStatus(Exception):
    """An answer with a status the API description does not list (with `Client.raise_on_unexpected_status`)."""

    def __init__(self, status_code: int, content: bytes):
        self.status_code = status_code
        self.content = content

        super().__init__(
            f"Unexpected status code: {status_code}\n\nResponse content:\n{content.decode(errors='ignore')}"
        )


class ParseError(ValueError):
    """An answer that does not have the shape the API description promises.

    `model` names the type that was being read, `field` the path of the value
    that could not be read inside it (`urls.get`, `results[3].status`; empty
    for the answer as a whole) and `reason` what was wrong with that value.
    `response` is the `httpx.Response` the answer came in (None when
    `from_dict` was called directly). The answer's text is never part of the
    message.

    Values the description does not know (a new status, a field added by the
    API) are not errors: unknown strings are kept as they are and unknown
    fields land in `additional_properties`.
    """

    def __init__(self, model: str, field: str, reason: str, response: Any = None) -> None:
        super().__init__(model, field, reason)
        self.model = model
        self.field = field
        self.reason = reason
        self.response = response

    def __str__(self) -> str:
        where = f" at {self.field}" if self.field else ""
        return f"unreadable {self.model}{where}: {self.reason}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(model={self.model!r}, field={self.field!r}, reason={self.reason!r})"

    def __reduce__(self) -> Any:
        return (type(self), (self.model, self.field, self.reason))

    def within(self, model: str, field: str) -> "ParseError":
        """This error as seen from `model`, which holds the value read at `field`."""
        self.model = model
        if field:
            joiner = "" if not self.field or self.field.startswith("[") else "."
            self.field = f"{field}{joiner}{self.field}"
        return self

    @classmethod
    def wrap(cls, model: str, field: str, error: Exception) -> "ParseError":
        """The `ParseError` for `error`, raised while reading `field` of `model`."""
        if isinstance(error, ParseError):
            return error.within(model, field)
        if isinstance(error, KeyError) and error.args == (field,):
            return cls(model, field, "missing")
        return cls(model, field, str(error) or type(error).__name__)


__all__ = ["ParseError", "UnexpectedStatus"]
