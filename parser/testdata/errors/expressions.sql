-- Expression errors, and errors of the scanner.
SELECT a IS banana /* ERROR "^expected \"NULL\", found \"banana\"$" */;
SELECT CASE END /* ERROR "expected expression, found \"END\"" */;
SELECT CASE a END /* ERROR "expected \"WHEN\", found \"END\"" */;
SELECT CASE WHEN a THEN 1 ELSE 2 /* ERROR HERE "expected \"END\"" */;
SELECT CAST(a AS /* ERROR HERE "expected type name" */);
SELECT CAST(a /* ERROR HERE "expected \"AS\"" */, int);
SELECT (1 /* ERROR HERE "expected \"\)\"" */;
SELECT x IN ( /* ERROR HERE "expected expression, found \"\)\"" */);
SELECT x IN (1, 2 /* ERROR HERE "expected \"\)\"" */;
SELECT x BETWEEN 1 /* ERROR HERE "expected \"AND\"" */ OR 2;
SELECT count(* /* ERROR HERE "expected \"\)\"" */;
SELECT f(DISTINCT /* ERROR HERE "expected expression" */);
SELECT a. /* ERROR HERE "expected column name" */;
SELECT t.* + /* ERROR "expected end of statement" */ 1;
SELECT integer /* ERROR HERE "expected end of statement" */ (1);
SELECT select /* ERROR "expected expression, found \"select\"" */;
SELECT DEFAULT /* ERROR "expected expression, found \"DEFAULT\"" */;
SELECT $0 /* ERROR "parameter \$0 out of range" */;
SELECT $99999999999999999999 /* ERROR "out of range" */;
SELECT 1abc /* ERROR "trailing junk after numeric literal" */;
SELECT 1e5x /* ERROR "trailing junk after numeric literal" */;
SELECT $1a /* ERROR "trailing junk after parameter" */;
SELECT @ /* ERROR "unexpected character \"@\"" */;
SELECT a ! /* ERROR "unexpected character \"!\"" */ b;
SELECT "" /* ERROR "zero-length quoted identifier" */;
SELECT a
  FROM t
  WHERE a = = /* ERROR "expected expression, found \"=\"" */ 1;
SELECT a FROM t WHERE /* ERROR HERE "^expected expression, found end of input$" */
