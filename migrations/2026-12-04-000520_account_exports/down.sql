DROP TABLE account_exports;
