-- FROM: comma lists, every join kind, nesting.
SELECT * FROM a, b, c;
SELECT * FROM a JOIN b ON a.id = b.id;
SELECT * FROM a INNER JOIN b ON a.id = b.id;
SELECT * FROM a LEFT JOIN b ON true RIGHT OUTER JOIN c ON true FULL JOIN d USING (id, k);
SELECT * FROM a LEFT OUTER JOIN b USING (id);
SELECT * FROM a CROSS JOIN b;
SELECT * FROM a, b JOIN c ON b.x = c.x;
SELECT * FROM (a JOIN b ON a.x = b.x) JOIN c ON b.y = c.y;
SELECT * FROM a JOIN (b JOIN c ON b.y = c.y) ON a.x = b.x;
SELECT * FROM a JOIN b JOIN c ON b.y = c.y ON a.x = b.x;
SELECT * FROM ((a JOIN b ON true));
SELECT * FROM a CROSS JOIN b JOIN c ON true;
SELECT * FROM ((SELECT 1) AS s JOIN t ON true);
SELECT * FROM ((SELECT 1) UNION (SELECT 2)) AS u;
SELECT * FROM t1 AS x JOIN t2 y ON x.id = y.id, t3;
