"""The form builder's server side: drafts of a configuration pack held in the database, edited by
small operations, then validated, previewed, diffed and published through kinga.configpacks (the same
validate → diff → apply as `kinga pack apply`; there is no second copy of the rules). Also the
XLSForm import/export (xlsform/) and the `kinga xlsform` command."""
