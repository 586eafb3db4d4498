"""Who may do what with personal data.

* Each person downloads their own data, and only theirs: the pages take no id, they show the
  signed-in person.
* Erasing a person is for administrators; the erasure service refuses one's own account.
"""

import rules

from networks import rules as network_rules

rules.add_perm("privacy.erase_person", network_rules.is_administrator)
