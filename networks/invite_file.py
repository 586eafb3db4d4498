"""Inviting a network's people from one CSV file: reading it and working out what each row
would do. Saves nothing (``services.people_invite_from_file`` sends, all or nothing).

The layout, one person a line, with a header row (``;`` or ``,`` between fields, UTF-8 with
or without a byte-order mark)::

    name;email;role;municipality_code;title
    Kari Nordmann;kari.nordmann@alta.kommune.no;chief_executive;5601;Kommunedirektør

``name`` is the whole name (the last word is the last name); ``role`` is ``chief_executive``,
``mayor`` or ``staff`` (or rådmann / kommunedirektør, ordfører, ansatt); ``municipality_code``
is the official code (a three-digit code is read with its leading zero, as a spreadsheet drops
it; a former code from the register is read as the one municipality it leads to); ``title``
(the job title) is optional. Header names may also be Norwegian (navn, e-post, rolle,
kommunenummer, stilling).

Each row is checked as the single invitation form checks one person, with the file's own
checks on top (the same address twice, a second chief executive or mayor for a municipality).
A row refused names its line and why; one refused row and nothing can be sent. The number of
queries does not depend on the number of rows.
"""

import csv
import hashlib
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cemsdi_portal.core.csvfiles import FileProblem, decode, sniff_header

from .models import (
    Invitation,
    MembershipInvitation,
    Municipality,
    MunicipalityCode,
    Network,
    NetworkMembership,
    Role,
    User,
)

MAX_BYTES = 100 * 1024  # about 1,500 people: far more than a network of 15 municipalities has
MAX_ROWS = 1000

HEADER_NAMES = {
    "name": {"name", "navn", "full_name", "fullt navn"},
    "email": {"email", "e-mail", "e-post", "epost", "mail"},
    "role": {"role", "rolle"},
    "municipality_code": {
        "municipality_code",
        "municipality",
        "kommunenummer",
        "kommunenr",
        "knr",
        "code",
        "kode",
    },
    "title": {"title", "job_title", "tittel", "stilling"},
}
REQUIRED = ("name", "email", "role", "municipality_code")

ROLE_NAMES = {
    Role.Kind.CHIEF_EXECUTIVE: {
        "chief_executive",
        "rådmann",
        "radmann",
        "kommunedirektør",
        "kommunedirektor",
    },
    Role.Kind.MAYOR: {"mayor", "ordfører", "ordforer"},
    Role.Kind.MUNICIPAL_STAFF: {"staff", "municipal_staff", "ansatt"},
}
KIND_OF = {name: kind for kind, names in ROLE_NAMES.items() for name in names}

LONGEST_EMAIL = User._meta.get_field("email").max_length
LONGEST_NAME = Invitation._meta.get_field("first_name").max_length
LONGEST_TITLE = Invitation._meta.get_field("title").max_length


class Outcome:
    SEND = "send"
    RENEW = "renew"
    HAS_ROLE = "has_role"

    LABELS = {
        SEND: gettext_lazy("an invitation is sent"),
        RENEW: gettext_lazy("their open invitation is sent again with a new link"),
        HAS_ROLE: gettext_lazy("already has this role: nothing is sent"),
    }


@dataclass
class InviteRow:
    """One line of the file, what it would do, or why it is refused."""

    line: int
    name: str = ""
    email: str = ""
    role: str = ""  # as the file writes it
    code: str = ""  # as the file writes it
    title: str = ""
    kind: str = ""
    municipality: Municipality | None = None
    former_code: bool = False  # the code is one the municipality had before
    outcome: str = ""
    refusals: list[str] = field(default_factory=list)

    @property
    def first_name(self) -> str:
        return self.name.rsplit(" ", 1)[0] if " " in self.name else self.name

    @property
    def last_name(self) -> str:
        return self.name.rsplit(" ", 1)[1] if " " in self.name else ""

    @property
    def kind_label(self) -> str:
        return Role.Kind(self.kind).label if self.kind else self.role

    @property
    def outcome_label(self) -> str:
        return Outcome.LABELS.get(self.outcome, "")

    @property
    def sends(self) -> bool:
        return not self.refusals and self.outcome in (Outcome.SEND, Outcome.RENEW)


@dataclass
class InvitePreview:
    """What inviting from the file would do. ``problem``: the file cannot be read at all."""

    file_name: str
    digest: str = ""  # SHA-256 of the file's bytes: the confirmation names the file it saw
    rows: list[InviteRow] = field(default_factory=list)
    problem: str = ""

    @property
    def refused(self) -> list[InviteRow]:
        return [row for row in self.rows if row.refusals]

    @property
    def to_send(self) -> list[InviteRow]:
        return [row for row in self.rows if row.sends]

    @property
    def ok(self) -> bool:
        return not self.problem and bool(self.rows) and not self.refused


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- Reading ----------------------------------------------------------------------------------


def _columns(header: list[str], file_name: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        key = name.strip().strip('"').lower()
        for column, names in HEADER_NAMES.items():
            if key in names and column not in found:
                found[column] = index
    missing = [column for column in REQUIRED if column not in found]
    if missing:
        raise FileProblem(
            file_name,
            _("line 1"),
            _(
                "the header must name the columns name, email, role and municipality_code "
                "(and optionally title), separated by ; or ,. It has: %(found)s; missing: "
                "%(missing)s."
            )
            % {
                "found": ", ".join(repr(h) for h in header) or "—",
                "missing": ", ".join(missing),
            },
        )
    return found


def _text(data: bytes, file_name: str) -> str:
    if not data or not data.strip():
        raise FileProblem(file_name, "", _("The file is empty."))
    if len(data) > MAX_BYTES:
        raise FileProblem(
            file_name,
            "",
            _("The file is larger than the limit of %(limit)d KB.") % {"limit": MAX_BYTES // 1024},
        )
    text = decode(data)
    if "\x00" in text:
        raise FileProblem(
            file_name,
            "",
            _(
                "This is not a CSV file: it holds binary data. An Excel workbook? Save it as "
                "CSV (UTF-8) and upload that."
            ),
        )
    return text


def read_rows(data: bytes, file_name: str) -> list[InviteRow]:
    """The file's rows, each with its line number; a row that does not fit the header is
    refused with its line. Raises ``FileProblem`` for a file that cannot be read at all."""
    text = _text(data, file_name)
    delimiter, header = sniff_header(text, file_name, delimiters=";,")
    columns = _columns(header, file_name)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[InviteRow] = []
    try:
        next(reader)  # the header
        for fields in reader:
            if not any(value.strip() for value in fields):
                continue  # a blank line
            row = InviteRow(line=reader.line_num)
            # Fewer fields are fine while the required ones are there (an empty title left
            # off the end); more, or fewer, and the values cannot be placed in their columns.
            if len(fields) > len(header) or len(fields) <= max(columns[c] for c in REQUIRED):
                row.refusals.append(
                    _("%(found)d fields where the header has %(expected)d.")
                    % {"found": len(fields), "expected": len(header)}
                )
            values = {
                name: fields[i].strip() if i < len(fields) else "" for name, i in columns.items()
            }
            row.name = " ".join(values["name"].split())
            row.email = values["email"].lower()
            row.role, row.code, row.title = (
                values["role"],
                values["municipality_code"],
                values.get("title", ""),
            )
            rows.append(row)
            if len(rows) > MAX_ROWS:
                raise FileProblem(
                    file_name,
                    "",
                    _("The file has more than %(limit)d people.") % {"limit": MAX_ROWS},
                )
    except csv.Error as exc:
        raise FileProblem(
            file_name, _("line %(line)s") % {"line": reader.line_num}, str(exc)
        ) from exc
    if not rows:
        raise FileProblem(file_name, "", _("The file has a header but no rows."))
    return rows


# --- Checking ---------------------------------------------------------------------------------


def _normal_code(code: str) -> str:
    """A spreadsheet drops the leading zero of 0301: three digits are read with it."""
    code = code.strip()
    if len(code) == 3 and code.isascii() and code.isdigit():
        return code.zfill(4)
    return code


def _role_key(text: str) -> str:
    return "_".join(text.strip().lower().replace("-", " ").split())


@dataclass
class _Network:
    """What the checks need to know of the network and the people in the file, read once."""

    network: Network
    inviter_email: str
    by_code: dict = field(default_factory=dict)  # code -> (municipality, former) or reason
    members: set = field(default_factory=set)
    invited: set = field(default_factory=set)  # municipalities asked to join, not yet members
    holders: dict = field(default_factory=dict)  # (municipality id, leader kind) -> (email, name)
    has_role: set = field(default_factory=set)  # (email, kind, municipality id) counting here
    open_invitations: set = field(default_factory=set)  # (email, kind)


def _load_municipalities(state: _Network, codes: set[str]) -> None:
    country_id = state.network.region.country_id
    for municipality in Municipality.objects.filter(country_id=country_id, code__in=codes):
        state.by_code[municipality.code] = (municipality, False)
    former: dict[str, dict] = {}
    for entry in MunicipalityCode.objects.filter(
        code__in=codes - state.by_code.keys(), municipality__country_id=country_id
    ).select_related("municipality"):
        former.setdefault(entry.code, {})[entry.municipality_id] = entry.municipality
    for code, found in former.items():
        if len(found) == 1:
            state.by_code[code] = (next(iter(found.values())), True)
        else:
            names = ", ".join(sorted(f"{m.name} ({m.code})" for m in found.values()))
            state.by_code[code] = _(
                "“%(code)s” is a former code that now leads to several municipalities "
                "(%(names)s): write today's code."
            ) % {"code": code, "names": names}


def _load_people(state: _Network, emails: set[str]) -> None:
    network = state.network
    ids = {entry[0].pk for entry in state.by_code.values() if isinstance(entry, tuple)}
    state.members = set(
        NetworkMembership.objects.filter(network=network).values_list("municipality_id", flat=True)
    )
    state.invited = set(
        MembershipInvitation.objects.filter(
            network=network, state=MembershipInvitation.State.INVITED
        ).values_list("municipality_id", flat=True)
    )
    roles = list(
        Role.objects.filter(municipality_id__in=ids, kind__in=Role.MUNICIPAL_KINDS).values_list(
            "pk", "kind", "municipality_id", "user__email", "user__first_name", "user__last_name",
            "user__username",
        )
    )  # fmt: skip
    counting = set(
        Role.objects.filter(pk__in=[role[0] for role in roles])
        .filter(Q(granted_in__isnull=True) | Q(granted_in=network))
        .values_list("pk", flat=True)
    )
    for pk, kind, municipality_id, email, first, last, username in roles:
        if kind in Role.LEADER_KINDS:
            name = f"{first} {last}".strip() or username
            state.holders[(municipality_id, kind)] = (email.lower(), name)
        if pk in counting:
            state.has_role.add((email.lower(), kind, municipality_id))
    state.open_invitations = {
        (email.lower(), kind)
        for email, kind in Invitation.objects.filter(
            network=network, state=Invitation.State.SENT, email__in=emails
        ).values_list("email", "kind")
    }


def _check_person(row: InviteRow, state: _Network, first_lines: dict[str, int]) -> None:
    if not row.name:
        row.refusals.append(_("the name is empty."))
    elif max(len(row.first_name), len(row.last_name)) > LONGEST_NAME:
        row.refusals.append(
            _("the name is longer than %(limit)d characters.") % {"limit": LONGEST_NAME}
        )
    if len(row.title) > LONGEST_TITLE:
        row.refusals.append(
            _("the job title is longer than %(limit)d characters.") % {"limit": LONGEST_TITLE}
        )
    if not row.email:
        row.refusals.append(_("the e-mail address is empty."))
        return
    try:
        validate_email(row.email)
        if len(row.email) > LONGEST_EMAIL:
            raise ValidationError("too long")
    except ValidationError:
        row.refusals.append(_("“%(email)s” is not an e-mail address.") % {"email": row.email})
        return
    if row.email == state.inviter_email:
        row.refusals.append(_("this is your own address: nobody invites themself."))
    elif row.email in first_lines:
        row.refusals.append(
            _("the same e-mail address as line %(line)d.") % {"line": first_lines[row.email]}
        )
    else:
        first_lines[row.email] = row.line


def _check_role_and_code(row: InviteRow, state: _Network) -> None:
    row.kind = KIND_OF.get(_role_key(row.role), "")
    if not row.kind:
        row.refusals.append(
            _("“%(role)s” is not a role: write chief_executive, mayor or staff.")
            % {"role": row.role}
        )
    code = _normal_code(row.code)
    found = state.by_code.get(code)
    if not code:
        row.refusals.append(_("the municipality code is empty."))
    elif found is None:
        row.refusals.append(_("no municipality has the code “%(code)s”.") % {"code": row.code})
    elif isinstance(found, str):
        row.refusals.append(found)
    else:
        row.municipality, row.former_code = found


def _check_place(row: InviteRow, state: _Network, leader_lines: dict) -> None:
    """Whether the municipality is in the network for this role, and its leaders."""
    municipality, kind = row.municipality, row.kind
    names = {"municipality": municipality.name, "role": Role.Kind(kind).label.lower()}
    if municipality.pk not in state.members:
        if municipality.pk not in state.invited:
            row.refusals.append(_("%(municipality)s is not a member of this network.") % names)
        elif kind not in Role.LEADER_KINDS:
            row.refusals.append(
                _(
                    "%(municipality)s has not accepted the network's invitation yet: invite "
                    "its chief executive, who accepts it, first."
                )
                % names
            )
    if kind in Role.LEADER_KINDS:
        key = (municipality.pk, kind)
        if key in leader_lines:
            row.refusals.append(
                _(
                    "a second %(role)s for %(municipality)s: line %(line)d names one already, "
                    "and a municipality has one."
                )
                % {**names, "line": leader_lines[key]}
            )
        leader_lines.setdefault(key, row.line)
        holder = state.holders.get(key)
        if holder is not None and holder[0] != row.email:
            row.refusals.append(
                _(
                    "%(municipality)s already has a %(role)s in the portal: %(name)s. An "
                    "administrator ends that role first."
                )
                % {**names, "name": holder[1]}
            )


def _outcome(row: InviteRow, state: _Network) -> str:
    if (row.email, row.kind, row.municipality.pk) in state.has_role:
        return Outcome.HAS_ROLE
    if (row.email, row.kind) in state.open_invitations:
        return Outcome.RENEW
    return Outcome.SEND


def invite_preview(*, network: Network, inviter: User, data: bytes, file_name: str):
    """What inviting the people of the file into the network would do. Saves nothing."""
    preview = InvitePreview(file_name=file_name, digest=file_digest(data))
    try:
        rows = read_rows(data, file_name)
    except FileProblem as problem:
        preview.problem = str(problem)
        return preview
    state = _Network(network=network, inviter_email=inviter.email.strip().lower())
    _load_municipalities(state, {_normal_code(row.code) for row in rows} - {""})
    _load_people(state, {row.email for row in rows})
    first_lines: dict[str, int] = {}
    leader_lines: dict = {}
    for row in rows:
        if row.refusals:
            continue  # its fields do not fit the header: nothing else in it can be read
        _check_person(row, state, first_lines)
        _check_role_and_code(row, state)
        if row.municipality is not None and row.kind:
            _check_place(row, state, leader_lines)
            row.outcome = _outcome(row, state)
    preview.rows = rows
    return preview
