"""The two "add" forms of the Contact info tab: an email address, and a phone number with its country.

A form checks what was typed (``services.contact_input``) and shows the problem under the field before
anything is sent; a well-formed entry leaves as a signal. Enter in the field is the same as the Add button.
The "also let people find me" choice exists only on the seed's servers, which bound an address to the
identity server while adding it; the page shows it there and nowhere else.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLabel, QLineEdit, QPushButton, QWidget

from mxsettings.services.contact_input import (
    InputProblem,
    InvalidInput,
    calling_code,
    calling_codes,
    canonical_email,
    parse_phone,
)
from mxsettings.ui.field_message import FieldMessage


class _Form(QWidget):
    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.bind_check = QCheckBox(self.tr("Also let people &find me by this address"), self)
        self.bind_check.setToolTip(
            self.tr("Your server will tell its identity server, so people who know the address can find you.")
        )
        self.bind_check.setVisible(False)

    def problem_text(self, problem: InputProblem) -> str:
        texts = {
            InputProblem.EMPTY: self.tr("Type the address first."),
            InputProblem.NOT_AN_EMAIL: self.tr(
                "This is not an email address. It looks like name@example.org."
            ),
            InputProblem.NOT_A_NUMBER: self.tr("This is not a phone number. Use digits, spaces and + only."),
            InputProblem.NEEDS_COUNTRY: self.tr(
                "Choose the country, or start the number with + and its code."
            ),
            InputProblem.TOO_SHORT: self.tr("This number is too short. Check it, with its area code."),
            InputProblem.TOO_LONG: self.tr("This number is too long. Check it."),
            InputProblem.UNKNOWN_COUNTRY_CODE: self.tr(
                "No country uses this code. Check the start of the number."
            ),
        }
        return texts[problem]


class EmailForm(_Form):
    """``submitted(address, bind)``, with the address already in its canonical form."""

    submitted = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emailForm")
        self.edit = QLineEdit(self)
        self.edit.setObjectName("emailEdit")
        self.edit.setPlaceholderText(self.tr("name@example.org"))
        self.edit.setAccessibleName(self.tr("New email address"))
        self.edit.setAccessibleDescription(self.tr("Press Enter to send it a confirmation link."))
        self.edit.setInputMethodHints(Qt.InputMethodHint.ImhEmailCharactersOnly)
        self.edit.setMaxLength(320)
        label = QLabel(self.tr("New &email address:"), self)
        label.setBuddy(self.edit)
        self.add_button = QPushButton(self.tr("Add"), self)
        self.add_button.setObjectName("addEmailButton")
        self.add_button.setAccessibleName(self.tr("Add email address"))
        self.bind_check.setObjectName("bindEmailCheck")
        self.bind_check.setAccessibleName(self.tr("Also let people find me by this email address"))
        self.error = FieldMessage(self.edit, self, name="emailError")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(label, 0, 0, 1, 2)
        grid.addWidget(self.edit, 1, 0)
        grid.addWidget(self.add_button, 1, 1)
        grid.addWidget(self.error, 2, 0, 1, 2)
        grid.addWidget(self.bind_check, 3, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        self.edit.returnPressed.connect(self._submit)
        self.add_button.clicked.connect(self._submit)
        self.edit.textEdited.connect(self.error.clear_message)

    def _submit(self) -> None:
        if not self.add_button.isEnabled():
            return  # sending, or waiting out a rate limit
        try:
            address = canonical_email(self.edit.text())
        except InvalidInput as exc:
            self.error.show_error(self.problem_text(exc.problem))
            self.edit.setFocus()
            return
        self.error.clear_message()
        self.submitted.emit(address, self.bind_check.isChecked())

    def clear(self) -> None:
        self.edit.clear()
        self.bind_check.setChecked(False)


class PhoneForm(_Form):
    """``submitted(number, bind)`` with the number parsed (a ``PhoneNumber``)."""

    submitted = Signal(object, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("phoneForm")
        self.country_combo = CountryCombo(self)
        self.country_combo.setObjectName("countryCombo")
        self.country_combo.setAccessibleName(self.tr("Country of the phone number"))
        # A fixed width: sized to the contents, the box would jump wider once the whole list is loaded.
        self.country_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.country_combo.setMinimumContentsLength(16)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("phoneEdit")
        self.edit.setPlaceholderText(self.tr("Phone number"))
        self.edit.setAccessibleName(self.tr("New phone number"))
        self.edit.setAccessibleDescription(self.tr("Press Enter to have a code sent to it."))
        self.edit.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        self.edit.setMaxLength(40)
        country_label = QLabel(self.tr("&Country:"), self)
        country_label.setBuddy(self.country_combo)
        number_label = QLabel(self.tr("New &phone number:"), self)
        number_label.setBuddy(self.edit)
        self.add_button = QPushButton(self.tr("Add"), self)
        self.add_button.setObjectName("addPhoneButton")
        self.add_button.setAccessibleName(self.tr("Add phone number"))
        self.bind_check.setObjectName("bindPhoneCheck")
        self.bind_check.setAccessibleName(self.tr("Also let people find me by this phone number"))
        self.error = FieldMessage(self.edit, self, name="phoneError")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(country_label, 0, 0)
        grid.addWidget(number_label, 0, 1, 1, 2)
        grid.addWidget(self.country_combo, 1, 0)
        grid.addWidget(self.edit, 1, 1)
        grid.addWidget(self.add_button, 1, 2)
        grid.addWidget(self.error, 2, 0, 1, 3)
        grid.addWidget(self.bind_check, 3, 0, 1, 3)
        grid.setColumnStretch(1, 1)
        self.edit.returnPressed.connect(self._submit)
        self.add_button.clicked.connect(self._submit)
        self.edit.textEdited.connect(self.error.clear_message)

    def set_country(self, region: str) -> None:
        self.country_combo.select(region)

    def _submit(self) -> None:
        if not self.add_button.isEnabled():
            return
        region = self.country_combo.currentData() or None
        try:
            number = parse_phone(self.edit.text(), region)
        except InvalidInput as exc:
            self.error.show_error(self.problem_text(exc.problem))
            self.edit.setFocus()
            return
        self.error.clear_message()
        self.set_country(number.country)  # a number typed with + names its own country
        self.submitted.emit(number, self.bind_check.isChecked())

    def clear(self) -> None:
        self.edit.clear()
        self.bind_check.setChecked(False)


class CountryCombo(QComboBox):
    """Countries with their calling codes, named in the user's language by Qt's locale data (phonenumberslite
    has no names). Until it is used it holds only the user's own country: loading every country's number
    metadata takes about 0.1 s, which the page should not spend when it opens."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._complete = False
        self.addItem(self.tr("Choose…"), "")
        own = QLocale.territoryToCode(QLocale.system().territory())
        if own:
            self._add_region(own)
            self.setCurrentIndex(1)

    def select(self, region: str) -> None:
        region = region.upper()
        if self.findData(region) < 0:
            self._fill()
        self.setCurrentIndex(max(0, self.findData(region)))

    def showPopup(self) -> None:
        self._fill()
        super().showPopup()

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._fill()  # arrow keys and typed letters move through the whole list
        super().focusInEvent(event)

    def _add_region(self, region: str) -> None:
        code = calling_code(region)
        if code:
            self.addItem(f"{_country_name(region)} (+{code})", region)

    def _fill(self) -> None:
        if self._complete:
            return
        self._complete = True
        current = self.currentData()
        entries = sorted(
            ((_country_name(region), region, code) for region, code in calling_codes().items()),
            key=lambda entry: entry[0].casefold(),
        )
        self.blockSignals(True)
        self.clear()
        self.addItem(self.tr("Choose…"), "")
        for name, region, code in entries:
            self.addItem(f"{name} (+{code})", region)
        self.setCurrentIndex(max(0, self.findData(current)))
        self.blockSignals(False)


def _country_name(region: str) -> str:
    territory = QLocale.codeToTerritory(region)
    if territory == QLocale.Country.AnyTerritory:
        return region
    return QLocale().territoryToString(territory)
