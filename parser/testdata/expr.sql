-- Expressions: precedence and every form.
SELECT 1 + 2 * 3, (1 + 2) * 3, 1 - 2 - 3, 1 - (2 - 3), 7 / 2 % 3;
SELECT a OR b AND c, (a OR b) AND c, NOT a AND b, NOT (a AND b), NOT NOT a;
SELECT a = b AND c <> d OR e != f, a < b, a <= b, a > b, a >= b;
SELECT a || b || 'c', a + b || c, a = b || c;
SELECT -a, - -a, +a, -a * b, -(a * b), -1, -1.5, - 1;
SELECT a::int, -a::text, (a + b)::real, '1'::integer + 1;
SELECT CAST(a AS BIGINT), CAST('1.5' AS DOUBLE PRECISION), CAST(x AS VARCHAR(10));
SELECT TIMESTAMP '2024-01-01 00:00:00', DATE '2024-01-01', INTEGER '5', bool 'true', DOUBLE PRECISION '1.5';
SELECT a IS NULL, a IS NOT NULL, a ISNULL, a NOTNULL, a + 1 IS NULL, NOT a IS NULL, a IS NULL = b;
SELECT a BETWEEN 1 AND 10, a NOT BETWEEN b + 1 AND c * 2, a BETWEEN 1 AND 2 AND b;
SELECT a IN (1, 2, 3), a NOT IN ('x'), a IN (SELECT b FROM u), a NOT IN (SELECT b FROM u UNION SELECT 2);
SELECT a LIKE 'x%', a NOT LIKE '%y', a ILIKE 'Z', a NOT ILIKE b || '%', a LIKE 'a!%' ESCAPE '!';
SELECT a = NOT b, NOT a = b, a AND NOT b;
SELECT CASE WHEN a > 0 THEN 'pos' WHEN a < 0 THEN 'neg' ELSE 'zero' END;
SELECT CASE a WHEN 1 THEN 'one' WHEN 2 THEN 'two' END;
SELECT count(*), count(DISTINCT a), count(ALL a), sum(a + 1), now(), coalesce(a, b, 0), lower(name), left(s, 2);
SELECT CURRENT_TIMESTAMP, CURRENT_DATE, LOCALTIMESTAMP;
SELECT EXISTS (SELECT 1), NOT EXISTS (SELECT 1 FROM t), NOT (EXISTS (SELECT 1));
SELECT (SELECT 1), ((SELECT 1)), (SELECT 1) + 1, ((SELECT 1) + 1), ((SELECT 1) UNION SELECT 2);
SELECT a IN ((SELECT 1)), a IN ((SELECT 1) UNION (SELECT 2)), a IN ((1), 2);
SELECT $1, $2 + ?, ?;
SELECT 42, 4.2, .5, 5., 1e10, 1.5E-3, 'it''s', '', 'multi
line', TRUE, FALSE, NULL, 99999999999999999999999;
SELECT t.a, "T"."A", t."select";
SELECT EXTRACT(YEAR FROM d), extract(epoch from now() - INTERVAL '1 day'), extract('dow' FROM DATE '2024-01-01');
SELECT CURRENT_DATE, CURRENT_TIMESTAMP, LOCALTIMESTAMP, TIMESTAMP WITH TIME ZONE '2024-01-02 03:04:05+02', x::timestamptz;
SELECT ts AT TIME ZONE 'UTC' + INTERVAL '1 hour', -x AT TIME ZONE z AT TIME ZONE 'UTC';
