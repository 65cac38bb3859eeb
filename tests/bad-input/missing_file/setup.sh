rm assets.csv
