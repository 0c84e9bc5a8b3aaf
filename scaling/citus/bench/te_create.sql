\set w random(10, 41)
SELECT time_entry.create_entry('{"userId":"000000bb-0000-4000-8000-0000000000:w","typeOfWorkId":"000000ff-0000-4000-8000-0000000000:w","timezone":"UTC","startDateLocal":"2025-03-10","duration":600}', '000000bb-0000-4000-8000-0000000000:w');
