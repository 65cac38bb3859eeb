ln -s /etc/hostname evil.csv
