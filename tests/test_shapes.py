"""Vaults as they are: people, meetings and logs in the shapes real vaults use (issue 13),
found with no settings or with the one setting a hint names. Each vault copies the
front-matter of a public vault (see research/vaults.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import TODAY
from .vault_shapes import (
    MakeVault,
    companies,
    contacts,
    conversations,
    hint_lines,
    owed,
    people,
    run,
)

# --- kepano's vault template: categories, org, people ------------------------------------------

STEPH = """---
categories:
  - "[[People]]"
type:
  - "[[Authors]]"
org:
  - "[[Obsidian]]"
created: 2023-09-12
twitter: kepano
url: https://stephango.com/
---
## Clippings

![[Clippings.base#Author]]

## Meetings

![[Meetings.base#Person]]
"""

KEVIN = """---
categories: "[[People]]"
type:
  - "[[Authors]]"
org: ["[[Wired]]"]
created: 2023-09-12
---
## Books

![[Books.base#Author]]
"""

OBSIDIAN = """---
categories:
  - "[[Companies]]"
  - "[[Apps]]"
url: https://obsidian.md
---
"""

CATEGORY_PAGE = """---
tags:
  - categories
---

![[People.base]]
"""

MEETING = """---
categories:
  - "[[Meetings]]"
type: []
date: 2026-08-20
org:
  - "[[Obsidian]]"
loc:
  - Remote
people:
  - "[[Steph Ango]]"
topics:
  - "[[Emergence]]"
---
- Discussed the book [[Out of Control]] on the topic of [[Emergence]]
"""


def interview(extra: str = "") -> str:
    """A job interview from kepano's Job Interview Template, held and marked done."""
    return f"""---
categories:
  - "[[Meetings]]"
type:
  - "[[Job Interviews]]"
org:
  - "[[Obsidian]]"
people:
  - "[[Steph Ango]]"
  - "[[Kevin Kelly]]"
date: 2026-11-10
role: Product Designer
rating:
status: done
{extra}---
## Questions and topics

- How does the team decide what to build?
"""


KEPANO_SETUP: dict[str, str | bytes] = {
    ".obsidian/templates.json": '{"folder": "Templates"}',
    ".obsidian/daily-notes.json": '{"folder": "Daily", "template": "Templates/Daily Note Template"}',
    # the template as shipped: `{{date}}` unquoted is not valid YAML, and the folder is not read
    "Templates/Job Interview Template.md": '---\ncategories:\n  - "[[Meetings]]"\ntype:\n'
    '  - "[[Job Interviews]]"\norg:\npeople: []\ndate: {{date}}\nrole:\nrating:\n---\n',
    "Daily/2023-09-12.md": "## Notes\n\n![[Daily.base]]\n",
    "Categories/People.md": CATEGORY_PAGE,
    "References/Obsidian.md": OBSIDIAN,
    "References/Steph Ango.md": STEPH,
    "References/Kevin Kelly.md": KEVIN,
}


def kepano(make_vault: MakeVault, **notes: str) -> Path:
    return make_vault({**KEPANO_SETUP, **notes})


def test_kepano_people_and_meetings_are_found_with_no_settings(make_vault: MakeVault) -> None:
    vault = kepano(
        make_vault,
        **{
            "Notes/2026-08-20 Meeting with Steph.md": MEETING,
            "Notes/2026-11-10 Job interview at Obsidian.md": interview('thanked: ["[[Steph Ango]]"]\n'),
        },
    )
    # the category page, the company and the template are no one; `categories` as a list or a string
    assert people(vault) == {"Kevin Kelly", "Steph Ango"}
    assert conversations(vault) == [
        "Notes/2026-08-20 Meeting with Steph.md",
        "Notes/2026-11-10 Job interview at Obsidian.md",
    ]
    rows = contacts(vault)
    assert (rows["Steph Ango"]["Company"], rows["Steph Ango"]["Conversations"]) == ("Obsidian", "2")
    assert (rows["Kevin Kelly"]["Company"], rows["Kevin Kelly"]["Conversations"]) == ("Wired", "1")
    assert rows["Steph Ango"]["Last contact"] == rows["Kevin Kelly"]["Last contact"] == "2026-11-10"
    assert companies(vault) == {"Obsidian": ["Steph Ango"], "Wired": ["Kevin Kelly"]}
    check = run("check", str(vault), "--today", TODAY)
    assert check.exit_code == 0, check.output
    assert check.stdout == ""  # no diagnostic (no status-missing, no yaml-invalid from the template)
    assert "0 errors, 0 warnings" in check.stderr


def test_a_job_interview_owes_a_thank_you_to_each_person_in_it(make_vault: MakeVault) -> None:
    vault = kepano(make_vault, **{"Notes/2026-11-10 Job interview at Obsidian.md": interview()})
    assert owed(vault, "thank-you") == [
        ("thank-you", "Kevin Kelly", "2026-11-11"),
        ("thank-you", "Steph Ango", "2026-11-11"),
    ]
    rows = contacts(vault)
    assert rows["Steph Ango"]["Next follow-up"] == rows["Kevin Kelly"]["Next follow-up"]
    assert rows["Steph Ango"]["Next follow-up"] == "2026-11-11 thank-you (overdue)"


@pytest.mark.parametrize(
    "thanked",
    ['thanked: ["[[Steph Ango]]"]\n', 'thanked:\n  - "[[Steph Ango]]"\n', "thanked: ['[[steph ango]]']\n"],
)
def test_thanking_one_person_leaves_the_others_thank_you_owed(make_vault: MakeVault, thanked: str) -> None:
    vault = kepano(make_vault, **{"Notes/2026-11-10 Job interview at Obsidian.md": interview(thanked)})
    assert owed(vault, "thank-you") == [("thank-you", "Kevin Kelly", "2026-11-11")]


def test_thanking_everyone_owes_no_thank_you(make_vault: MakeVault) -> None:
    vault = kepano(
        make_vault,
        **{"Notes/2026-11-10 Job interview at Obsidian.md": interview("thanked: 2026-11-11\n")},
    )
    assert owed(vault, "thank-you") == []


def test_a_meeting_without_a_status_is_an_interaction_and_owes_no_thank_you(make_vault: MakeVault) -> None:
    vault = kepano(make_vault, **{"Notes/2026-08-20 Meeting with Steph.md": MEETING})
    # keep in touch 90 days after the meeting; nothing else (no thank-you for a work meeting)
    assert owed(vault) == [("keep-in-touch", "Steph Ango", "2026-11-18")]
    row = contacts(vault)["Steph Ango"]
    assert (row["Last contact"], row["Conversations"]) == ("2026-08-20", "1")
    assert row["Next follow-up"] == "2026-11-18 keep in touch (overdue)"
    check = run("check", str(vault), "--today", TODAY)
    assert "status-missing" not in check.output
    assert check.exit_code == 0, check.output


def test_a_meeting_with_someone_who_has_no_note_gives_them_the_meetings_org(make_vault: MakeVault) -> None:
    meeting = MEETING.replace("[[Steph Ango]]", "[[Paul Chambers]]")
    vault = make_vault({"Notes/2026-08-20 Meeting with Paul.md": meeting})
    assert people(vault) == {"Paul Chambers"}
    assert contacts(vault)["Paul Chambers"]["Company"] == "Obsidian"
    assert companies(vault) == {"Obsidian": ["Paul Chambers"]}


TWO_STRANGERS = """---
categories:
  - "[[Meetings]]"
type:
  - "[[Job Interviews]]"
org:
  - "[[Obsidian]]"
people:
  - "[[Paul Chambers]]"
  - "[[Ann Chu]]"
date: 2026-11-10
status: done
---
"""


def test_a_meeting_with_two_people_who_have_no_notes_gives_each_their_own_items(
    make_vault: MakeVault,
) -> None:
    vault = make_vault({"Notes/2026-11-10 Job interview at Obsidian.md": TWO_STRANGERS})
    assert owed(vault, "thank-you") == [
        ("thank-you", "Ann Chu", "2026-11-11"),
        ("thank-you", "Paul Chambers", "2026-11-11"),
    ]


def test_a_meeting_with_two_people_who_have_no_notes_gives_each_their_own_items_on_every_run(
    make_vault: MakeVault,
) -> None:
    vault = make_vault({"Notes/2026-11-10 Job interview at Obsidian.md": TWO_STRANGERS})
    first = owed(vault, "thank-you")
    assert owed(vault, "thank-you") == first  # a second run, with what the first kept
    nextday = run("sync", str(vault), "--today", "2026-11-27")
    assert nextday.exit_code == 0, nextday.output
    rows = contacts(vault)
    assert rows["Ann Chu"]["Next follow-up"] == rows["Paul Chambers"]["Next follow-up"]


def test_kepanos_people_template_with_no_org_gives_no_diagnostic(make_vault: MakeVault) -> None:
    person = '---\ncategories:\n  - "[[People]]"\nbirthday:\norg: []\ncreated: 2026-01-02\n---\n'
    vault = make_vault({"References/Ada Lovelace.md": person})
    assert people(vault) == {"Ada Lovelace"}
    check = run("check", str(vault), "--today", TODAY)
    assert check.stdout == ""
    assert check.exit_code == 0


# --- a CRM vault: a People/ folder with capitalised keys, no type ------------------------------

CRM: dict[str, str | bytes] = {
    ".obsidian/app.json": '{"alwaysUpdateLinks": true, "promptDelete": false, "propertiesInDocument": "source"}',
    ".obsidian/templates.json": '{"folder": "Miscellaneous/Templates"}',
    "People/Max Muster.md": """---
Name: Max Muster
aliases:
Company: "[[Tree Company]]"
Position: Head of Sales
Person Tags:
E-mail: max@tree.example
Phone Number:
LinkedIn:
Social Media:
Priority: false
Active: true
Created: 2024-06-14 23:02
Birthday:
Image:
---
""",
    "People/Thomas Neu.md": """---
Name: Thomas Neu
aliases:
Company: ETA Group
Position:
Person Tags:
E-mail:
Phone Number:
LinkedIn:
Social Media:
Priority: false
Active: true
Created: 2024-06-14 23:05
Birthday:
Image:
---
""",
    "Companies/Tree Company.md": """---
Name: Tree Company
aliases:
Website:
Priority: false
Active: true
Created: 2024-06-18 20:53
---
```dataview
LIST FROM "People" & [[]] and !outgoing([[]])
```
""",
    "Meetings/Meeting - 2024-06-14 2247 .md": """---
Name: "Meeting - 2024-06-14 2247 "
Date: "2024-06-14"
Date & Time: "2024-06-14 22:47"
---
## Participants


## Content
- [ ] Task for something important.
""",
    "Miscellaneous/Templates/People Template.md": "---\nName: <% tp.file.title %>\nCompany: \n---\n",
}


@pytest.mark.parametrize("command", ["sync", "check"])
def test_a_people_folder_with_no_marker_gets_a_hint_naming_the_setting(
    make_vault: MakeVault, command: str
) -> None:
    vault = make_vault(CRM)
    result = run(command, str(vault), "--today", TODAY)
    assert result.exit_code == 0, result.output
    hints = hint_lines(result.stderr)
    assert hints, result.output
    assert hints[0].startswith("hint: 2 notes in People/ have ")
    assert "    [contacts]" in hints and '    folders = ["People"]' in hints
    if command == "sync":
        assert result.stdout.splitlines()[-1].startswith("4 notes read, 0 people")


def test_with_the_setting_the_hint_names_the_people_are_found(make_vault: MakeVault) -> None:
    vault = make_vault(CRM)
    hints = hint_lines(run("check", str(vault), "--today", TODAY).stderr)
    setting = [line.strip() for line in hints[1:3]]
    assert setting == ["[contacts]", 'folders = ["People"]']
    (vault / ".notesync.toml").write_text("\n".join(setting) + "\n", "utf-8")
    assert people(vault) == {"Max Muster", "Thomas Neu"}
    rows = contacts(vault)
    assert (rows["Max Muster"]["Company"], rows["Max Muster"]["Role"]) == ("Tree Company", "Head of Sales")
    assert (rows["Thomas Neu"]["Company"], rows["Thomas Neu"]["Role"]) == ("ETA Group", "")
    assert companies(vault) == {"ETA Group": ["Thomas Neu"], "Tree Company": ["Max Muster"]}
    again = run("sync", str(vault), "--today", TODAY)
    assert again.exit_code == 0 and hint_lines(again.stderr) == []
    assert again.stdout.splitlines()[-1].startswith("4 notes read, 2 people")


def test_with_both_folders_set_a_meeting_lists_its_participants_under_a_heading(
    make_vault: MakeVault,
) -> None:
    meeting = """---
Name: "Meeting - 2026-11-20 1030 "
Date: "2026-11-20"
Date & Time: "2026-11-20 10:30"
---
## Participants
- [[Max Muster]]
- [[Thomas Neu]]

## Content
"""
    vault = make_vault(
        {
            **CRM,
            ".notesync.toml": '[contacts]\nfolders = ["People"]\n[conversations]\nfolders = ["Meetings"]\n',
            "Meetings/Meeting - 2026-11-20 1030 .md": meeting,
        }
    )
    rows = contacts(vault)
    for name in ("Max Muster", "Thomas Neu"):
        assert (rows[name]["Last contact"], rows[name]["Conversations"]) == ("2026-11-20", "1")
    assert owed(vault) == [
        ("keep-in-touch", "Max Muster", "2027-02-18"),
        ("keep-in-touch", "Thomas Neu", "2027-02-18"),
    ]


# --- type: person|people, a #person tag, a Contacts: list -------------------------------------


@pytest.mark.parametrize(
    "marker",
    [
        "type: person",
        "type: people",
        "type: Person",
        "type: [person]",
        "type:\n  - people",
        'type: "[[People]]"',
        'type: ["[[Person]]"]',
        "Type: Person",
    ],
)
@pytest.mark.parametrize(
    ("company", "shown"), [("company: Acme Corp", "Acme Corp"), ('company: "[[Globex]]"', "Globex")]
)
def test_type_person_or_people_makes_a_person(
    make_vault: MakeVault, marker: str, company: str, shown: str
) -> None:
    vault = make_vault({"Cards/People/Pat Lee.md": f"---\n{marker}\n{company}\n---\n"})
    assert people(vault) == {"Pat Lee"}
    assert contacts(vault)["Pat Lee"]["Company"] == shown


@pytest.mark.parametrize(
    "marker",
    [
        "tags: [person]",
        "tags: person",
        "tags: people, 2023-06,",
        'tags: ["#Contact"]',
        'categories: ["[[Person]]"]',
        "categories: People",
    ],
)
def test_a_person_tag_or_category_makes_a_person(make_vault: MakeVault, marker: str) -> None:
    vault = make_vault({"Cards/People/Pat Lee.md": f"---\n{marker}\norg: Acme Corp\n---\n"})
    assert people(vault) == {"Pat Lee"}
    assert contacts(vault)["Pat Lee"]["Company"] == "Acme Corp"


def test_a_work_vaults_people_card(make_vault: MakeVault) -> None:
    """pjlewisuk's vault: `type: people`, tags as a comma string, `job_title`."""
    card = """---
created_date: 2023-06-23 17:32
updated_date: 2023-06-23 17:32
type: people
tags: people, 2023-06,
birthday:
anniversary:
company: Acme Corp
job_title: CEO
team: C-suite
location:
home_location:
date_met: 2023-06-23
summary:
aliases: Jane, jane
---
## ☎️ Contact Information
- **Email**:
"""
    vault = make_vault({"Cards/People/Jane Doe.md": card})
    row = contacts(vault)["Jane Doe"]
    assert (row["Company"], row["Role"]) == ("Acme Corp", "CEO")
    assert run("check", str(vault), "--today", TODAY).exit_code == 0


SAMPLE_PERSON = """---
Name: Sample Person 1
Company: "[[Sample Company 1]]"
Phone:
Email:
Relationship:
Role: Recruiter
Related-Positions:
---
# Sample Person 1
[[Sample Company 1]]

---
#person
"""

LOG = """---
Topic: Sample Communication 1
Contacts: ["[[Sample Person 1]]"]
Contact-Method: Phone_Call
Comm-Type: Received
Comm_DateTime: 2025-12-08
---
# Phone_Call Received Sample Person 1 re: Sample Communication 1
Sample Communication Text

---
#log-communication
"""

JOB_SEARCH: dict[str, str | bytes] = {
    ".obsidian/app.json": '{"userIgnoreFilters": ["00 Settings/"]}',
    "30 Records/20 People/Sample Person 1.md": SAMPLE_PERSON,
    "30 Records/20 People/Sample Person 2.md": SAMPLE_PERSON.replace("Person 1", "Person 2")
    .replace("Company 1", "Company 2")
    .replace("Role: Recruiter\n", ""),
    "30 Records/30 Companies/Sample Company 1.md": "---\nCompany: Sample Company 1\nIndustry: Industry A\n---\n\n---\n#company\n",
    "30 Records/40 Logs/2025-12-08 Phone_Call Received Sample Person 1.md": LOG,
    # the settings folder, left out by Obsidian's Excluded files: its templates are not people
    "00 Settings/20 Templates/Template-People.md": "<%* const name = tp.file.title _%>\n---\nName: <% name %>\n---\n\n---\n#person\n",
}


def test_people_tagged_person_on_their_last_line_are_found(make_vault: MakeVault) -> None:
    vault = make_vault(JOB_SEARCH)
    assert people(vault) == {"Sample Person 1", "Sample Person 2"}
    rows = contacts(vault)
    assert (rows["Sample Person 1"]["Company"], rows["Sample Person 1"]["Role"]) == (
        "Sample Company 1",
        "Recruiter",
    )
    assert rows["Sample Person 2"]["Company"] == "Sample Company 2"
    # a log that names whom it was with (`Contacts`) and has no `type` or `categories` is a
    # conversation with no setting, dated by its Comm_DateTime
    assert (rows["Sample Person 1"]["Conversations"], rows["Sample Person 1"]["Last contact"]) == (
        "1",
        "2025-12-08",
    )
    assert owed(vault) == [("keep-in-touch", "Sample Person 1", "2026-03-08")]


def test_logs_with_a_contacts_list_are_conversations_with_the_one_setting(make_vault: MakeVault) -> None:
    vault = make_vault({**JOB_SEARCH, ".notesync.toml": '[conversations]\ntags = ["log-communication"]\n'})
    assert conversations(vault) == ["30 Records/40 Logs/2025-12-08 Phone_Call Received Sample Person 1.md"]
    row = contacts(vault)["Sample Person 1"]
    # its day is Comm_DateTime's; a log with no status is an interaction: no thank-you
    assert (row["Last contact"], row["Conversations"]) == ("2025-12-08", "1")
    assert owed(vault) == [("keep-in-touch", "Sample Person 1", "2026-03-08")]
    assert contacts(vault)["Sample Person 2"]["Conversations"] == "0"
    check = run("check", str(vault), "--today", TODAY)
    assert check.exit_code == 0, check.output


# --- contact the notes already record ----------------------------------------------------------

PRIYA: dict[str, str | bytes] = {
    "People/Priya Raman.md": "---\ntype: contact\ncompany: Contoso\nrole: Product Manager\n---\n",
    "Networking/2026-08-10 Priya Raman.md": """---
type: interview
contact: "[[Priya Raman]]"
date: 2026-08-10
status: done
thanked: 2026-08-11
---
""",
}

SAM = """---
type: interview
contact: "[[Sam Patel]]"
referrer: "[[Priya Raman]]"
date: 2026-09-02
status: done
thanked: 2026-09-03
{updated}---
"""


def test_telling_the_referrer_how_it_went_is_being_in_touch_with_them(make_vault: MakeVault) -> None:
    vault = make_vault(
        {**PRIYA, "Networking/2026-09-02 Sam Patel.md": SAM.format(updated="referrer_updated: 2026-09-04\n")}
    )
    assert ("keep-in-touch", "Priya Raman", "2026-12-03") in owed(vault)  # 2026-09-04 + 90 days
    assert owed(vault, "update-referrer") == []
    assert contacts(vault)["Priya Raman"]["Last contact"] == "2026-09-04"


def test_without_referrer_updated_keep_in_touch_counts_from_the_conversation(make_vault: MakeVault) -> None:
    vault = make_vault({**PRIYA, "Networking/2026-09-02 Sam Patel.md": SAM.format(updated="")})
    assert ("keep-in-touch", "Priya Raman", "2026-11-08") in owed(vault)  # 2026-08-10 + 90 days
    assert owed(vault, "update-referrer") == [("update-referrer", "Priya Raman", "2026-09-05")]
    assert contacts(vault)["Priya Raman"]["Last contact"] == "2026-08-10"


def test_one_company_however_its_notes_write_it(make_vault: MakeVault) -> None:
    """`Contoso`, `CONTOSO, Inc.` and a link to its note are one company on Companies.md, as
    on Targets.md (a legal form and case make no difference)."""
    vault = make_vault(
        {
            "People/Ann Lee.md": "---\ntype: contact\ncompany: Contoso\n---\n",
            "People/Bo Park.md": '---\ntype: contact\ncompany: "CONTOSO, Inc."\n---\n',
            "People/Cy Ng.md": '---\ntype: contact\ncompany: "[[Companies/Contoso|Contoso Ltd]]"\n---\n',
        }
    )
    assert companies(vault) == {"Contoso": ["Ann Lee", "Bo Park", "Cy Ng"]}
