-- r_vars (included by r2, r3, r3b): names for workspace w1 (held by 9701) and w2 (held by 9702), which
-- run.sh passes (psql -v w1=NN -v w2=NN), and requests for them
SELECT '00000000-0000-4000-8000-0000000000' || :w1 AS ws1, '000000bb-0000-4000-8000-0000000000' || :w1 AS admin1,
	   '00000000-0000-4000-8000-0000000000' || :w2 AS ws2, '000000bb-0000-4000-8000-0000000000' || :w2 AS admin2,
	   format('{"userId":"000000cc-0000-4000-8000-0000000000%s","typeOfWorkId":"000000ff-0000-4000-8000-0000000000%s","timezone":"Europe/Berlin","startDateLocal":"2025-03-10","startTimeLocal":"09:00","endTimeLocal":"10:30"}', :w1, :w1) AS timed1,
	   format('{"userId":"000000bb-0000-4000-8000-0000000000%s","typeOfWorkId":"000000ff-0000-4000-8000-0000000000%s","timezone":"UTC","startDateLocal":"2025-03-10","startTimeLocal":"08:00"}', :w2, :w2) AS running2,
	   format('{"userId":"000000bb-0000-4000-8000-0000000000%s","typeOfWorkId":"000000ff-0000-4000-8000-0000000000%s","timezone":"UTC","startDateLocal":"2025-03-11","duration":600}', :w2, :w1) AS foreign_user1,
	   format('{"userId":"000000bb-0000-4000-8000-0000000000%s","typeOfWorkId":"000000ff-0000-4000-8000-0000000000%s","timezone":"UTC","startDateLocal":"2025-03-11","duration":600}', :w1, :w2) AS foreign_type1,
	   format('{"userId":"000000bb-0000-4000-8000-0000000000%s","typeOfWorkId":"000000ff-0000-4000-8000-0000000000%s","timezone":"UTC","startDateLocal":"2025-04-01","duration":600}', :w1, :w1) AS day1,
	   format('{"userId":"000000bb-0000-4000-8000-0000000000%s","typeOfWorkId":"000000ff-0000-4000-8000-0000000000%s","timezone":"UTC","startDateLocal":"2025-04-01","duration":600}', :w2, :w2) AS day2
\gset
\echo workspace :ws1 is held by 9701, :ws2 by 9702
