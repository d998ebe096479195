# The analyst's way, for the load benchmark (scripts/bench/load.ts): pandas + openpyxl read every
# submission in a folder into one table (指標編號, 累計完成, 備註, 區縣, 截至日期). Run with Debian's
# /usr/bin/python3 (python3-pandas, python3-openpyxl). Prints one JSON line: files, rows, seconds.
import glob
import json
import os
import sys
import time

import pandas as pd

folder = sys.argv[1]
start = time.perf_counter()
files = sorted(glob.glob(os.path.join(folder, '**', '*.xlsx'), recursive=True))
frames = []
for path in files:
    raw = pd.read_excel(path, sheet_name=0, header=None, engine='openpyxl')
    district = str(raw.iat[1, 0]).split('：')[-1].strip()
    as_of = str(raw.iat[1, 4]).split('：')[-1].strip()
    header = [str(h) for h in raw.iloc[3]]
    body = raw.iloc[4:].copy()
    body.columns = header
    body = body[body['指標編號'].notna()][['指標編號', '累計完成', '備註']]
    body['區縣'] = district
    body['截至日期'] = pd.to_datetime(as_of)
    frames.append(body)
table = pd.concat(frames, ignore_index=True)
seconds = time.perf_counter() - start
print(json.dumps({'files': len(files), 'rows': int(len(table)), 'seconds': seconds}))
