DROP TABLE account_audit_log;
