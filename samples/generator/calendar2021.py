"""Working-day calendar (国办发明电〔2020〕27号 for 2021) and statutory period arithmetic.

Rules (rubrics.md §3): natural-day periods start the day after the trigger and a
period ending on a non-working day rolls to the next working day; working-day
periods count working days (weekends off, public holidays off, 调休 make-up days on).
"""
import datetime as dt

D = dt.date

HOLIDAYS = set()
WORKDAYS = set()


def _span(a, b):
    d = a
    while d <= b:
        yield d
        d += dt.timedelta(days=1)


for a, b in [  # 2020 (tail), 2021, 2022 (head)
    (D(2020, 10, 1), D(2020, 10, 8)),
    (D(2021, 1, 1), D(2021, 1, 3)), (D(2021, 2, 11), D(2021, 2, 17)),
    (D(2021, 4, 3), D(2021, 4, 5)), (D(2021, 5, 1), D(2021, 5, 5)),
    (D(2021, 6, 12), D(2021, 6, 14)), (D(2021, 9, 19), D(2021, 9, 21)),
    (D(2021, 10, 1), D(2021, 10, 7)),
    (D(2022, 1, 1), D(2022, 1, 3)), (D(2022, 1, 31), D(2022, 2, 6)),
    (D(2022, 4, 3), D(2022, 4, 5)),
]:
    HOLIDAYS.update(_span(a, b))
WORKDAYS.update([D(2021, 2, 7), D(2021, 2, 20), D(2021, 4, 25), D(2021, 5, 8),
                 D(2021, 9, 18), D(2021, 9, 26), D(2021, 10, 9),
                 D(2020, 9, 27), D(2020, 10, 10), D(2022, 1, 29), D(2022, 1, 30),
                 D(2022, 4, 2)])

NEW_PENALTY_LAW = D(2021, 7, 15)  # 2021 行政处罚法 in force


def is_workday(d):
    if d in WORKDAYS:
        return True
    if d in HOLIDAYS:
        return False
    return d.weekday() < 5


def add_days(d, n):
    return d + dt.timedelta(days=n)


def add_workdays(d, n):
    """The n-th working day after d."""
    while n > 0:
        d = add_days(d, 1)
        if is_workday(d):
            n -= 1
    return d


def next_workday(d):
    while not is_workday(d):
        d = add_days(d, 1)
    return d


def natural_deadline(d, n):
    """Last day of an n natural-day period triggered on d (rolled to a working day)."""
    return next_workday(add_days(d, n))


def workdays_between(a, b):
    """Number of working days in (a, b]."""
    n, d = 0, a
    while d < b:
        d = add_days(d, 1)
        if is_workday(d):
            n += 1
    return n


def penalty_service_deadline(decision):
    """C-09: 7 working days from 2021-07-15 (2021 法 第61、85条), 7 natural days before."""
    if decision >= NEW_PENALTY_LAW:
        return add_workdays(decision, 7)
    return natural_deadline(decision, 7)


def penalty_decision_deadline(filing):
    """C-08: 90 days from filing, only for filings from 2021-07-15 (None = no limit)."""
    if filing >= NEW_PENALTY_LAW:
        return natural_deadline(filing, 90)
    return None


def license_decision_deadline(acceptance):
    return add_workdays(acceptance, 20)      # 许可法 第42、82条


def license_service_deadline(decision):
    return add_workdays(decision, 10)        # 许可法 第44、82条


def shift_to_workday(d, rng=None):
    """Documents are signed on working days (mostly)."""
    return next_workday(d)
