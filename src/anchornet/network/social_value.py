"""Social value: the commitments in members' contracts and what has been delivered.

A member (the buyer) records a contract (title, reference, supplier, value, dates, and
whether it agrees to publish it); the contract's commitments (a measure code and a
committed quantity in the measure's unit, optionally by a date); and deliveries reported
over time (a quantity for a period ending on an as-of date, with an evidence note). The
delivered total of a commitment is the sum of its reports.

Committed against delivered is reported per commitment, contract, supplier and measure,
rated by the share of the target met (``RATING_BANDS``). £ values are delivered and
committed quantities times the proxy value of the measure set in use, only when that set
has proxy values (anchornet ships none): never invented. Measure tables: ``sv_measures``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from anchornet.errors import AnchornetError
from anchornet.network import inputs, sv_measures
from anchornet.network.sv_measures import CATALOGUE_SQL
from anchornet.sqlrows import dict_rows
from anchornet.workspace import Workspace

# The rating of a share of target met (delivered / committed), best first. A contract's or
# a supplier's share is the mean of its commitments' shares, each capped at 100% (so
# over-delivering on one measure does not hide another); a measure's is its total
# delivered over its total committed.
RATING_BANDS = (
    ("met", "100% or more of the target delivered"),
    ("on track", "50% or more delivered, not yet all"),
    ("partly", "something delivered, under 50%"),
    ("not started", "nothing delivered yet"),
)
RATINGS = tuple(r for r, _ in RATING_BANDS)
RATING_STATUS = {"met": "good", "on track": "good", "partly": "warn", "not started": "bad"}
NAMED_CLASSES = ("company", "vcse", "public")  # suppliers surely organisations: the only ones suggested
NO_PROXY = "no proxy values loaded"


class NoSuchRecord(AnchornetError):
    """A contract, commitment or delivery that does not exist (the web shows a 404)."""


def rating_of(share: float | None) -> str | None:
    if share is None:
        return None
    if share >= 1:
        return "met"
    if share >= 0.5:
        return "on track"
    if share > 0:
        return "partly"
    return "not started"


def _rating_sql(share: str) -> str:
    return (f"CASE WHEN {share} IS NULL THEN NULL WHEN {share} >= 1 THEN 'met' WHEN {share} >= 0.5 "
            f"THEN 'on track' WHEN {share} > 0 THEN 'partly' ELSE 'not started' END")


# -- members and suppliers ------------------------------------------------------------------------
def _member_id(ws: Workspace, member: str) -> int:
    member_id = ws.member_id((member or "").strip())
    if member_id is None:
        raise AnchornetError(f"there is no member {member!r} in the network (members come from their payment "
                             "files or the member list)")
    return member_id


def _entity(ws: Workspace, entity_id) -> int | None:
    """A supplier entity id, followed through merges; refused if unknown or a private individual."""
    entity_id = inputs.whole_number(entity_id, "supplier id")
    if entity_id is None:
        return None
    alias = ws.con.execute("SELECT entity_id FROM entity_aliases WHERE old_entity_id = ?", [entity_id]).fetchall()
    current = alias[0][0] if alias else entity_id
    rows = ws.con.execute("SELECT personal FROM supplier_entities WHERE entity_id = ?", [current]).fetchall()
    if not rows or rows[0][0]:
        raise AnchornetError(f"there is no supplier {entity_id} to link (a private individual is never linked)")
    return current


# -- contracts ----------------------------------------------------------------------------------------
def _contract_fields(ws: Workspace, changes: dict) -> dict:
    out = {}
    for key, value in changes.items():
        if key == "title":
            out[key] = inputs.text(value, "contract title", required=True)
        elif key == "reference":
            out[key] = inputs.text(value, "contract reference", limit=100)
        elif key == "supplier_name":
            out[key] = inputs.text(value, "supplier's name", required=True)
        elif key == "supplier_entity_id":
            out[key] = _entity(ws, value)
        elif key == "value":
            out[key] = inputs.money(value, "contract value")
        elif key in ("start_date", "end_date"):
            out[key] = inputs.date(value, key.replace("_", " "))
        elif key == "publish":
            out[key] = inputs.flag(value)
        else:
            raise AnchornetError(f"a contract has no field {key!r}")
    return out


def _check_dates(start: dt.date | None, end: dt.date | None) -> None:
    if start and end and end < start:
        raise AnchornetError(f"the contract ends ({end}) before it starts ({start})")


def add_contract(ws: Workspace, member: str, title: str, supplier: str, *, reference: str | None = None,
                 value=None, start=None, end=None, supplier_entity_id=None, publish: bool = False,
                 by: str = "") -> int:
    """Record a member's contract; its id. The same member and reference again with the same
    details returns the existing contract (re-running is safe); with other details it is refused."""
    member_id = _member_id(ws, member)
    fields = _contract_fields(ws, {"title": title, "reference": reference, "supplier_name": supplier,
                                   "supplier_entity_id": supplier_entity_id, "value": value,
                                   "start_date": start, "end_date": end, "publish": publish})
    _check_dates(fields["start_date"], fields["end_date"])
    if fields["reference"]:
        rows = ws.con.execute(
            "SELECT contract_id, title, supplier_name FROM sv_contracts WHERE member_id = ? AND reference = ?",
            [member_id, fields["reference"]]).fetchall()
        if rows:
            contract_id, old_title, old_supplier = rows[0]
            if (old_title, old_supplier) == (fields["title"], fields["supplier_name"]):
                return contract_id
            raise AnchornetError(f"{member} already has a contract with reference {fields['reference']!r} "
                                 f"(contract {contract_id}, {old_title!r}); change that one instead")
    columns = ", ".join(fields)
    return ws.con.execute(
        f"INSERT INTO sv_contracts (member_id, {columns}, created_by) VALUES (?, {', '.join('?' * len(fields))}, ?) "
        "RETURNING contract_id", [member_id, *fields.values(), by or ""]).fetchall()[0][0]


def update_contract(ws: Workspace, contract_id: int, **changes) -> dict:
    """Change some of a contract's details (title, reference, supplier_name, supplier_entity_id,
    value, start_date, end_date, publish); the contract as it is now."""
    current = contract(ws, contract_id)
    fields = _contract_fields(ws, changes)
    _check_dates(fields.get("start_date", current["start_date"]), fields.get("end_date", current["end_date"]))
    if fields.get("reference") and fields["reference"] != current["reference"]:
        clash = ws.con.execute("SELECT contract_id FROM sv_contracts WHERE member_id = ? AND reference = ? "
                               "AND contract_id <> ?",
                               [current["member_id"], fields["reference"], contract_id]).fetchall()
        if clash:
            raise AnchornetError(f"contract {clash[0][0]} of {current['member']} has the reference "
                                 f"{fields['reference']!r} already")
    if fields:
        sets = ", ".join(f"{k} = ?" for k in fields)
        ws.con.execute(f"UPDATE sv_contracts SET {sets}, updated_at = current_timestamp WHERE contract_id = ?",
                       [*fields.values(), contract_id])
    return contract(ws, contract_id)


_CONTRACT_SQL = """
    SELECT c.contract_id, c.member_id, mb.name AS member, c.title, c.reference, c.supplier_name,
           e.entity_id AS supplier_entity_id, e.display_name AS supplier_entity_name,
           coalesce(e.display_name, c.supplier_name) AS supplier, c.value, c.start_date, c.end_date, c.publish,
           c.created_at, c.created_by, c.updated_at
    FROM sv_contracts c JOIN members mb ON mb.member_id = c.member_id
    LEFT JOIN entity_aliases al ON al.old_entity_id = c.supplier_entity_id
    LEFT JOIN supplier_entities e ON e.entity_id = coalesce(al.entity_id, c.supplier_entity_id) AND NOT e.personal
"""


def contract(ws: Workspace, contract_id: int) -> dict:
    """One contract's record, or NoSuchRecord."""
    rows = dict_rows(ws.con.execute(_CONTRACT_SQL + " WHERE c.contract_id = ?", [int(contract_id)]))
    if not rows:
        raise NoSuchRecord(f"there is no social value contract {contract_id}")
    return rows[0]


def _filters(members: list[str] | None, published_only: bool, contract_id: int | None = None) -> tuple[str, list]:
    where, params = ["true"], []
    if members is not None:
        where.append("mb.name IN (SELECT unnest(?))")
        params.append(list(members))
    if published_only:
        where.append("c.publish")
    if contract_id is not None:
        where.append("c.contract_id = ?")
        params.append(int(contract_id))
    return " AND ".join(where), params


def _base(where: str) -> str:
    """Commitment-level rows: committed, delivered, share and £ values (from the current set)."""
    return f"""
    WITH cat AS ({CATALOGUE_SQL}),
    del AS (SELECT commitment_id, sum(quantity) AS delivered, count(*) AS reports, max(as_of) AS last_as_of
            FROM sv_deliveries GROUP BY commitment_id),
    base AS (
        SELECT k.commitment_id, c.contract_id, c.member_id, mb.name AS member, c.title AS contract,
               c.reference, c.publish, e.entity_id AS supplier_entity_id,
               coalesce('entity:' || e.entity_id, 'name:' || upper(trim(c.supplier_name))) AS supplier_key,
               coalesce(e.display_name, c.supplier_name) AS supplier,
               k.measure_code, coalesce(cat.name, k.measure_code) AS measure, cat.theme, cat.unit,
               cat.position, coalesce(cat.in_current_set, false) AS in_current_set,
               k.quantity AS committed, k.by_date, coalesce(d.delivered, 0) AS delivered,
               coalesce(d.reports, 0) AS reports, d.last_as_of,
               CAST(coalesce(d.delivered, 0) AS DOUBLE) / CAST(k.quantity AS DOUBLE) AS share,
               cat.proxy_value,
               round(k.quantity * cat.proxy_value, 2) AS value_committed,
               round(coalesce(d.delivered, 0) * cat.proxy_value, 2) AS value_delivered
        FROM sv_commitments k JOIN sv_contracts c USING (contract_id)
        JOIN members mb ON mb.member_id = c.member_id
        LEFT JOIN entity_aliases al ON al.old_entity_id = c.supplier_entity_id
        LEFT JOIN supplier_entities e ON e.entity_id = coalesce(al.entity_id, c.supplier_entity_id)
                                      AND NOT e.personal
        LEFT JOIN cat ON cat.code_key = lower(k.measure_code)
        LEFT JOIN del d USING (commitment_id)
        WHERE {where}
    )"""


def commitments(ws: Workspace, *, members: list[str] | None = None, published_only: bool = False,
                contract_id: int | None = None) -> list[dict]:
    """Every commitment in scope with committed, delivered, share, rating and £ values."""
    sv_measures.ensure_default(ws)
    where, params = _filters(members, published_only, contract_id)
    return dict_rows(ws.con.execute(
        _base(where) + f" SELECT *, {_rating_sql('share')} AS rating FROM base "
        "ORDER BY contract_id, position NULLS LAST, measure_code", params))


def list_contracts(ws: Workspace, *, members: list[str] | None = None, published_only: bool = False) -> list[dict]:
    """Contracts in scope (``members`` None: all) with their commitments' mean share and rating."""
    sv_measures.ensure_default(ws)
    where, params = _filters(members, published_only)
    sql = _base(where) + f""",
    agg AS (SELECT contract_id, count(*) AS commitments, avg(least(share, 1.0)) AS share,
                   sum(value_committed) AS value_committed, sum(value_delivered) AS value_delivered,
                   count(proxy_value) AS valued_commitments
            FROM base GROUP BY contract_id)
    SELECT k.*, coalesce(a.commitments, 0) AS commitments, a.share, {_rating_sql('a.share')} AS rating,
           a.value_committed, a.value_delivered, coalesce(a.valued_commitments, 0) AS valued_commitments
    FROM ({_CONTRACT_SQL} WHERE {where}) k LEFT JOIN agg a USING (contract_id)
    ORDER BY k.member, k.start_date NULLS LAST, k.contract_id"""
    return dict_rows(ws.con.execute(sql, params + params))


def by_measure(ws: Workspace, *, members: list[str] | None = None, published_only: bool = False) -> list[dict]:
    """Committed against delivered per measure (same unit, so summed) in scope."""
    sv_measures.ensure_default(ws)
    where, params = _filters(members, published_only)
    sql = _base(where) + f"""
    SELECT any_value(measure_code) AS code, any_value(measure) AS measure, any_value(theme) AS theme,
           any_value(unit) AS unit, bool_or(in_current_set) AS in_current_set,
           count(DISTINCT contract_id) AS contracts, count(DISTINCT member_id) AS members,
           sum(committed) AS committed, sum(delivered) AS delivered,
           CAST(sum(delivered) AS DOUBLE) / CAST(sum(committed) AS DOUBLE) AS share,
           {_rating_sql('CAST(sum(delivered) AS DOUBLE) / CAST(sum(committed) AS DOUBLE)')} AS rating,
           any_value(proxy_value) AS proxy_value,
           sum(value_committed) AS value_committed, sum(value_delivered) AS value_delivered
    FROM base GROUP BY lower(measure_code) ORDER BY min(position) NULLS LAST, code"""
    return dict_rows(ws.con.execute(sql, params))


def by_supplier(ws: Workspace, *, members: list[str] | None = None, published_only: bool = False) -> list[dict]:
    """Per supplier (its linked supplier entity, else its name as written): contracts,
    commitments, the mean share of target met, the rating and £ values."""
    sv_measures.ensure_default(ws)
    where, params = _filters(members, published_only)
    sql = _base(where) + f"""
    SELECT supplier_key, any_value(supplier) AS supplier, any_value(supplier_entity_id) AS supplier_entity_id,
           count(DISTINCT contract_id) AS contracts, count(*) AS commitments,
           avg(least(share, 1.0)) AS share, {_rating_sql('avg(least(share, 1.0))')} AS rating,
           sum(value_committed) AS value_committed, sum(value_delivered) AS value_delivered,
           count(proxy_value) AS valued_commitments
    FROM base GROUP BY supplier_key ORDER BY lower(any_value(supplier))"""
    return dict_rows(ws.con.execute(sql, params))


def valuation(ws: Workspace) -> dict:
    """Which measure set the £ values use, and whether it has any proxy values."""
    current = sv_measures.current_set(ws)
    loaded = current["proxy_values"] > 0
    label = f"{current['name']} {current['version']}"
    return {"measure_set": label, "set_id": current["set_id"], "proxy_values_loaded": loaded,
            "proxy_values": current["proxy_values"], "measures": current["measures"],
            "note": f"£ values use the proxy values of {label}" if loaded else f"{NO_PROXY} ({label} has none)"}


def summary(ws: Workspace, *, members: list[str] | None = None, published_only: bool = False) -> dict:
    """Committed against delivered in scope: per measure, per contract and per supplier, with
    totals and the valuation used. ``members`` None is the whole network."""
    measures_ = by_measure(ws, members=members, published_only=published_only)
    contracts_ = list_contracts(ws, members=members, published_only=published_only)
    value = valuation(ws)
    valued = [m for m in measures_ if m["proxy_value"] is not None]
    totals = {
        "contracts": len(contracts_),
        "commitments": sum(c["commitments"] for c in contracts_),
        "members": len({c["member_id"] for c in contracts_}),
        "measures": len(measures_),
        "measures_valued": len(valued),
        "value_committed": sum((m["value_committed"] for m in valued), Decimal(0)) if valued else None,
        "value_delivered": sum((m["value_delivered"] for m in valued), Decimal(0)) if valued else None,
    }
    return {"valuation": value, "published_only": published_only, "by_measure": measures_,
            "by_contract": contracts_, "by_supplier": by_supplier(ws, members=members, published_only=published_only),
            "totals": totals, "rating_bands": [{"rating": r, "meaning": m} for r, m in RATING_BANDS]}


# -- commitments and deliveries ---------------------------------------------------------------------
def commit(ws: Workspace, contract_id: int, measure_code: str, quantity, *, by_date=None) -> dict:
    """Record (or change) a contract's commitment on a measure of the current set."""
    record = contract(ws, contract_id)
    measure = sv_measures.current_measure(ws, measure_code)
    amount = inputs.number(quantity, f"committed quantity ({measure['unit']})", required=True, zero=False)
    by = inputs.date(by_date, "by date")
    rows = ws.con.execute(
        """INSERT INTO sv_commitments (contract_id, measure_code, quantity, by_date, set_id)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (contract_id, measure_code) DO UPDATE SET quantity = excluded.quantity,
               by_date = excluded.by_date
           RETURNING commitment_id""",
        [record["contract_id"], measure["code"], amount, by, measure["set_id"]]).fetchall()
    return {"commitment_id": rows[0][0], "contract_id": record["contract_id"], "member_id": record["member_id"],
            "measure_code": measure["code"], "unit": measure["unit"], "quantity": amount, "by_date": by}


def _commitment(ws: Workspace, contract_id: int, measure_code: str) -> tuple[int, str]:
    rows = ws.con.execute(
        "SELECT commitment_id, measure_code FROM sv_commitments WHERE contract_id = ? AND lower(measure_code) = "
        "lower(?)", [int(contract_id), (measure_code or "").strip()]).fetchall()
    if not rows:
        raise AnchornetError(f"contract {contract_id} has no commitment on {measure_code!r}: record the "
                             "commitment first")
    return rows[0]


def remove_commitment(ws: Workspace, contract_id: int, measure_code: str, *, with_deliveries: bool = False) -> dict:
    """Remove a commitment (a correction). One with delivery reports is refused unless
    ``with_deliveries``, which removes them too."""
    record = contract(ws, contract_id)
    commitment_id, code = _commitment(ws, contract_id, measure_code)
    reports = ws.con.execute("SELECT count(*) FROM sv_deliveries WHERE commitment_id = ?",
                             [commitment_id]).fetchall()[0][0]
    if reports and not with_deliveries:
        raise AnchornetError(f"the commitment on {code} has {reports} delivery report(s): remove them first")
    with ws.transaction():
        ws.con.execute("DELETE FROM sv_deliveries WHERE commitment_id = ?", [commitment_id])
        ws.con.execute("DELETE FROM sv_commitments WHERE commitment_id = ?", [commitment_id])
    return {"contract_id": record["contract_id"], "member_id": record["member_id"], "measure_code": code,
            "deliveries_removed": reports}


def record_delivery(ws: Workspace, contract_id: int, measure_code: str, quantity, as_of, *,
                    period: str | None = None, evidence: str = "", by: str = "") -> dict:
    """Report what was delivered against a commitment in the period ending on ``as_of``.
    Reporting the same commitment and date again replaces that report (re-running is safe)."""
    record = contract(ws, contract_id)
    commitment_id, code = _commitment(ws, contract_id, measure_code)
    amount = inputs.number(quantity, "delivered quantity", required=True)
    when = inputs.date(as_of, "as-of date")
    if when is None:
        raise AnchornetError("give the date the delivery is reported as of (YYYY-MM-DD)")
    if when > dt.date.today():
        raise AnchornetError(f"the as-of date {when} is in the future: report what has been delivered")
    period = inputs.text(period, "period", limit=40)
    evidence = inputs.text(evidence, "evidence note", limit=2000) or ""
    rows = ws.con.execute(
        """INSERT INTO sv_deliveries (commitment_id, as_of, period, quantity, evidence, reported_by)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (commitment_id, as_of) DO UPDATE SET period = excluded.period,
               quantity = excluded.quantity, evidence = excluded.evidence, reported_by = excluded.reported_by,
               reported_at = CAST(now() AS TIMESTAMP)
           RETURNING delivery_id""",
        [commitment_id, when, period, amount, evidence, by or ""]).fetchall()
    return {"delivery_id": rows[0][0], "contract_id": record["contract_id"], "member_id": record["member_id"],
            "measure_code": code, "quantity": amount, "as_of": when, "period": period}


def remove_delivery(ws: Workspace, delivery_id: int) -> dict:
    """Remove one delivery report (a correction); what it was."""
    rows = dict_rows(ws.con.execute(
        """SELECT d.delivery_id, k.contract_id, c.member_id, k.measure_code, d.as_of, d.quantity
           FROM sv_deliveries d JOIN sv_commitments k USING (commitment_id) JOIN sv_contracts c USING (contract_id)
           WHERE d.delivery_id = ?""", [int(delivery_id)]))
    if not rows:
        raise NoSuchRecord(f"there is no delivery report {delivery_id}")
    ws.con.execute("DELETE FROM sv_deliveries WHERE delivery_id = ?", [int(delivery_id)])
    return rows[0]


def deliveries(ws: Workspace, *, contract_id: int | None = None, members: list[str] | None = None,
               published_only: bool = False) -> list[dict]:
    where, params = _filters(members, published_only, contract_id)
    return dict_rows(ws.con.execute(
        f"""WITH cat AS ({CATALOGUE_SQL})
            SELECT d.delivery_id, c.contract_id, mb.name AS member, k.commitment_id, k.measure_code,
                   coalesce(cat.name, k.measure_code) AS measure, cat.unit, d.as_of, d.period, d.quantity,
                   d.evidence, d.reported_by, d.reported_at
            FROM sv_deliveries d JOIN sv_commitments k USING (commitment_id)
            JOIN sv_contracts c USING (contract_id) JOIN members mb ON mb.member_id = c.member_id
            LEFT JOIN cat ON cat.code_key = lower(k.measure_code)
            WHERE {where} ORDER BY c.contract_id, d.as_of DESC, k.measure_code""", params))


# -- suppliers ------------------------------------------------------------------------------------------
def suggest_suppliers(ws: Workspace, name: str, limit: int = 5) -> list[dict]:
    """Supplier entities (organisations only) whose name is the same or close to ``name``,
    best first: the ones to link a contract to."""
    from anchornet.suppliers.normalise import install_macros

    install_macros(ws.con)
    key = ws.con.execute("SELECT sn_name_key(?)", [name or ""]).fetchall()[0][0]
    if not key:
        return []
    return dict_rows(ws.con.execute(
        """SELECT entity_id, display_name, class, postcode,
                  round(CASE WHEN name_key = ? THEN 1.0 ELSE jaro_winkler_similarity(name_key, ?) END, 3) AS score
           FROM supplier_entities
           WHERE NOT personal AND class IN (SELECT unnest(?)) AND name_key IS NOT NULL
             AND (name_key = ? OR jaro_winkler_similarity(name_key, ?) >= 0.88)
           ORDER BY score DESC, entity_id LIMIT ?""",
        [key, key, list(NAMED_CLASSES), key, key, int(limit)]))


# -- one contract in full -------------------------------------------------------------------------------
def contract_detail(ws: Workspace, contract_id: int, *, full: bool = True) -> dict:
    """A contract with its commitments (ratings, £ values) and deliveries. ``full`` False (for
    someone who may only see it because it is published): no evidence notes, no who-reported."""
    record = contract(ws, contract_id)
    rows = commitments(ws, contract_id=contract_id)
    listed = list_contracts(ws, members=[record["member"]])
    overall = next(c for c in listed if c["contract_id"] == record["contract_id"])
    reports = deliveries(ws, contract_id=contract_id)
    if not full:
        record = {k: v for k, v in record.items() if k not in ("created_by",)}
        reports = [{k: v for k, v in r.items() if k not in ("evidence", "reported_by")} for r in reports]
    return {
        "contract": record,
        "commitments": rows,
        "deliveries": reports,
        "share": overall["share"], "rating": overall["rating"],
        "value_committed": overall["value_committed"], "value_delivered": overall["value_delivered"],
        "valued_commitments": overall["valued_commitments"],
        "valuation": valuation(ws),
        "rating_bands": [{"rating": r, "meaning": m} for r, m in RATING_BANDS],
        "suggestions": (suggest_suppliers(ws, record["supplier_name"])
                        if full and record["supplier_entity_id"] is None else []),
    }


# -- the report and exports -------------------------------------------------------------------------------
_PUBLIC_CONTRACT = ("contract_id", "member", "title", "reference", "supplier", "value", "start_date", "end_date",
                    "commitments", "share", "rating", "value_committed", "value_delivered")


def report_data(ws: Workspace, public: bool = False, members: list[str] | None = None) -> dict:
    """For the network report: delivered against committed per measure, and per contract,
    for ``members`` (None: the whole network). The public edition counts only contracts
    their member agreed to publish, and names a supplier only when it is linked to a
    supplier known to be an organisation (a sole trader's name is a person's)."""
    data = summary(ws, members=members, published_only=public)
    named = _organisation_entities(ws) if public else None
    contracts_ = []
    for c in data["by_contract"]:
        row = {k: c[k] for k in _PUBLIC_CONTRACT}
        if named is not None and c.get("supplier_entity_id") not in named:
            row["supplier"] = None  # shown as "not named"
        contracts_.append(row)
    return {
        "edition": "public" if public else "internal",
        "basis": ("contracts their member agreed to publish" if public else "every contract recorded"),
        "valuation": data["valuation"],
        "rating_bands": data["rating_bands"],
        "measures": data["by_measure"],
        "totals": data["totals"],
        "contracts": contracts_,
        "suppliers": [] if public else data["by_supplier"],
    }


def _organisation_entities(ws: Workspace) -> set[int]:
    """Supplier entities whose names may be published: surely organisations (the rule the
    public report uses for payees)."""
    from anchornet.suppliers.classify import PUBLIC_CLASSES

    marks = ", ".join("?" for _ in PUBLIC_CLASSES)
    return {r[0] for r in ws.con.execute(
        f"SELECT entity_id FROM supplier_entities WHERE NOT personal AND class IN ({marks})",
        list(PUBLIC_CLASSES)).fetchall()}


def export_tables(ws: Workspace, public: bool = False) -> dict[str, list[dict]]:
    """Name -> rows for the CSV/XLSX export. ``public``: published contracts only, with no
    evidence notes and no account names (people), and the totals of those contracts."""
    sv_measures.ensure_default(ws)
    sets = dict_rows(ws.con.execute(
        """SELECT s.name AS measure_set, s.version, s.is_current AS current, m.code, m.name, m.theme, m.unit,
                  m.description, m.proxy_value
           FROM sv_measure_sets s JOIN sv_measures m USING (set_id)
           ORDER BY s.loaded_at, s.set_id, m.position"""))
    contracts_ = list_contracts(ws, published_only=public)
    hidden = {"member_id", "created_by", "created_at", "updated_at"} if public else {"member_id"}
    contract_rows = [{k: v for k, v in c.items() if k not in hidden} for c in contracts_]
    commitment_rows = [{k: v for k, v in r.items() if k not in ("member_id", "supplier_key", "position")}
                       for r in commitments(ws, published_only=public)]
    delivery_rows = deliveries(ws, published_only=public)
    if public:
        delivery_rows = [{k: v for k, v in r.items() if k not in ("evidence", "reported_by", "reported_at")}
                         for r in delivery_rows]
    return {
        "social_value_measure_sets": sets,
        "social_value_contracts": contract_rows,
        "social_value_commitments": commitment_rows,
        "social_value_deliveries": delivery_rows,
        "social_value_summary": by_measure(ws, published_only=public),
    }
