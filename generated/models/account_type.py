from typing import Literal

from ..types import kind_of

AccountType = Literal["organization", "user"]

ACCOUNT_TYPE_VALUES: set[AccountType] = {
    "organization",
    "user",
}


def check_account_type(value: object) -> AccountType:
    if isinstance(value, str) and value in ACCOUNT_TYPE_VALUES:
        return value
    shown = repr(value) if isinstance(value, str) else kind_of(value)
    raise TypeError(f"expected one of {sorted(ACCOUNT_TYPE_VALUES)}, got {shown}")
