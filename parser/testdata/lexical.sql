-- Comments, case folding, odd spacing.
select/* a comment */1;
SELECT /* nested /* comments */ are fine */ 2 -- and a line comment
;
SeLeCt A, B FrOm T WhErE a=1 AND b<>2;
SELECT 1--comment right after
, 2;
SELECT a-1, a/ 2, a*-1 FROM t;
SELECT a<=b, a>=b, a<>b, a!=b, a||b, a::int FROM t;
